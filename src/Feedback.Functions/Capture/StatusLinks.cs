using System.Security.Cryptography;
using System.Text;
using Feedback.Functions.Configuration;

namespace Feedback.Functions.Capture;

/// <summary>
/// Status URLs: <c>/api/feedback/{store}.{id}.{kid}.{mac}</c>. The MAC (keyed with a token signing
/// key) makes the link unguessable even when a kiosk uses sequential ids, and lets a forged link
/// be refused without a storage read.
/// </summary>
public sealed class StatusLinks(TokenOptions tokens)
{
    public string For(string storeId, string id)
    {
        var kid = tokens.ActiveKeyId;
        return $"{storeId}.{id}.{kid}.{Mac(kid, storeId, id)}";
    }

    public bool TryRead(string statusId, out string storeId, out string id)
    {
        storeId = id = "";
        var parts = statusId.Split('.');
        if (parts.Length != 4 || parts[3].Length != 22 || tokens.Key(parts[2]) is null)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(parts[2], parts[0], parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[3])))
        {
            return false;
        }

        (storeId, id) = (parts[0], parts[1]);
        return true;
    }

    public static string Path(string statusId) => "/api/feedback/" + statusId;

    private string Mac(string kid, string storeId, string id) =>
        System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(tokens.Key(kid)!, Encoding.UTF8.GetBytes($"status:{storeId}:{id}")).AsSpan(0, 16));
}
