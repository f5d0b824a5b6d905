using System.Text.Json;
using Azure.Data.Tables;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Microsoft.Extensions.Caching.Memory;

namespace Feedback.Functions.Segments;

/// <summary>
/// The chain's segment questions, one row of the segments table (PartitionKey <c>chain</c>, RowKey ""), read on the
/// request path of every answer that carries segments and by every survey page, so read through a short cache like
/// the store cache: a change reaches other instances within <see cref="Lifetime"/>.
/// </summary>
public sealed class SegmentDefinitions(StorageAccount storage, IMemoryCache cache, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private const string Partition = "chain";
    private static readonly object CacheKey = new();

    private TableClient Table => storage.Table(TableNames.Segments);

    public async Task<SegmentsView> GetAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey, out SegmentsView? view))
        {
            return view!;
        }

        var row = await Table.FindAsync<SegmentsEntity>(Partition, "", cancellationToken);
        view = new SegmentsView(row?.Questions is { } json ? JsonSerializer.Deserialize<SegmentQuestion[]>(json, JsonBody.Options) ?? [] : [], row?.UpdatedAt);
        cache.Set(CacheKey, view, Lifetime);
        return view;
    }

    /// <summary>The most a table string column holds (64 KiB of UTF-16), less room to spare: longer questions are a 400.</summary>
    public const int MaxStoredChars = 32_000;

    private static readonly JsonSerializerOptions Stored = new(JsonBody.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The questions as stored: JSON with letters such as č and ł kept as they are, not six-character escapes.</summary>
    public static string Serialize(IReadOnlyList<SegmentQuestion> questions) => JsonSerializer.Serialize(questions, Stored);

    public async Task<SegmentsView> PutAsync(IReadOnlyList<SegmentQuestion> questions, CancellationToken cancellationToken)
    {
        var row = new SegmentsEntity
        {
            PartitionKey = Partition,
            RowKey = "",
            Questions = Serialize(questions),
            UpdatedAt = clock.GetUtcNow(),
        };
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        var view = new SegmentsView(questions, row.UpdatedAt);
        cache.Set(CacheKey, view, Lifetime);
        return view;
    }
}

/// <summary>The segments row: the questions as JSON (the shape of the HTTP contract, validated before it is stored).</summary>
public sealed class SegmentsEntity : TableRow
{
    public string? Questions { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}
