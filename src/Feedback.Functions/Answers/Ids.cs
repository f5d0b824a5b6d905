using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Feedback.Functions.Answers;

/// <summary>The spelling of every identifier and tag the API accepts, in one place.</summary>
public static partial class Ids
{
    /// <summary>Store ids: 1–40 characters of a–z, 0–9 and '-' (they appear in URLs and partition keys).</summary>
    public static bool IsStoreId(string? id) => id is not null && StoreIdPattern().IsMatch(id);

    /// <summary>Answer ids, minted or the client's own: 8–64 characters of A–Z, a–z, 0–9, '_' and '-'.</summary>
    public static bool IsAnswerId(string? id) => id is not null && AnswerIdPattern().IsMatch(id);

    /// <summary>
    /// The id an answer is stored under: the client's id within its source's scope, <c>{scope}~{id}</c>, so two
    /// sources can never claim each other's ids (a poster's user cannot pre-submit the id a kiosk will send next).
    /// The scope is the device id (<c>d</c> + 16 hex), <c>r-{receipt}</c> for a receipt token, or <c>t</c> + 12 hex of
    /// the token's SHA-256 for any other token.
    /// </summary>
    public static string StoredAnswerId(string? deviceId, string? receiptId, string? token, string id)
    {
        var scope = deviceId
            ?? (receiptId is not null ? "r-" + receiptId : "t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token ?? "")).AsSpan(0, 6)));
        return scope + "~" + id;
    }

    /// <summary>The client's own id within a <see cref="StoredAnswerId"/> (an id stored before scoping is its own).</summary>
    public static string ClientAnswerId(string storedId) => storedId[(storedId.LastIndexOf('~') + 1)..];

    /// <summary>A <see cref="StoredAnswerId"/> as it appears in case ids, or an answer id stored before ids were scoped.</summary>
    public static bool IsStoredAnswerId(string? id) => id is not null && StoredAnswerIdPattern().IsMatch(id);

    /// <summary>Receipt ids printed in a QR token: 1–64 characters of A–Z, a–z, 0–9, '_' and '-'.</summary>
    public static bool IsReceiptId(string? id) => id is not null && ReceiptIdPattern().IsMatch(id);

    /// <summary>Device ids, minted at enrolment: 'd' and 16 lowercase hex digits.</summary>
    public static bool IsDeviceId(string? id) => id is not null && DeviceIdPattern().IsMatch(id);

    /// <summary>A language tag such as cs, sk, pl, en or pt-BR.</summary>
    public static bool IsLanguage(string? tag) => tag is not null && LanguagePattern().IsMatch(tag);

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex StoreIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex AnswerIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ReceiptIdPattern();

    [GeneratedRegex("^d[0-9a-f]{16}$")]
    private static partial Regex DeviceIdPattern();

    [GeneratedRegex("^([A-Za-z0-9_-]{1,66}~)?[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex StoredAnswerIdPattern();

    [GeneratedRegex("^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$")]
    private static partial Regex LanguagePattern();
}
