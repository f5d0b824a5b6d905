using System.Threading.RateLimiting;

namespace Feedback.Functions.Capture;

/// <summary>
/// Fixed one-minute windows kept in this instance's memory: with several instances each enforces the
/// limit separately, which bounds abuse without a storage write on the request path.
/// </summary>
public sealed class SubmissionLimiter(RateLimitOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k[..k.IndexOf(':', StringComparison.Ordinal)] switch
            {
                Device => options.DevicePerMinute,
                Token => options.TokenPerMinute,
                Redeem => options.RedeemPerMinute,
                _ => options.IpPerMinute,
            },
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public const string Device = "device";
    public const string Token = "token";
    public const string Ip = "ip";
    public const string Redeem = "redeem";

    /// <summary>Null when allowed; otherwise how long to wait.</summary>
    public TimeSpan? TryAcquire(string kind, string key)
    {
        using var lease = _limiter.AttemptAcquire(kind + ":" + key);
        return lease.IsAcquired
            ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
