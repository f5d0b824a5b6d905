using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Feedback.Functions.Answers;
using Feedback.Functions.Configuration;

namespace Feedback.Functions.Capture;

/// <summary>
/// Status URLs: <c>/api/feedback/{store}.{yyyyMMdd}.{id}.{kid}.{mac}</c>, with the store-local day the answer counts
/// on and its stored id (<see cref="Answers.Ids.StoredAnswerId"/>), so the status is one point read of the answer row.
/// The MAC (keyed with a token signing key) makes the link unguessable even when a kiosk uses sequential ids, and
/// lets a forged link be refused without a storage read.
/// </summary>
public sealed class StatusLinks(TokenOptions tokens)
{
    public string For(StoreDay day, string id)
    {
        var kid = tokens.ActiveKeyId;
        var date = Date(day.Day);
        return $"{day.StoreId}.{date}.{id}.{kid}.{Mac(kid, day.StoreId, date, id)}";
    }

    public bool TryRead(string statusId, out StoreDay day, out string id)
    {
        (day, id) = (default, "");
        var parts = statusId.Split('.');
        if (parts.Length != 5 || parts[4].Length != 22 || tokens.Key(parts[3]) is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(parts[3], parts[0], parts[1], parts[2]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[4]))
            || !DateOnly.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        (day, id) = (new StoreDay(parts[0], date), parts[2]);
        return true;
    }

    public static string Path(string statusId) => "/api/feedback/" + statusId;

    private static string Date(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private string Mac(string kid, string storeId, string date, string id) =>
        System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(tokens.Key(kid)!, Encoding.UTF8.GetBytes($"status:{storeId}:{date}:{id}")).AsSpan(0, 16));
}
