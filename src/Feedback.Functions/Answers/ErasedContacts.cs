using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Answers;

/// <summary>
/// The contact details customers asked to have erased, so an answer still queued when the erasure ran
/// is stored without them. Kept only as SHA-256 hashes of the normalized value (the erasures table:
/// PartitionKey <c>email</c> or <c>phone</c>, RowKey the hash), never the contact itself.
/// </summary>
public sealed class ErasedContacts(StorageAccount storage)
{
    private TableClient Table => storage.Table(TableNames.Erasures);

    public static string? NormalEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>Digits only: "+420 601 234 567" and "420601234567" are one number.</summary>
    public static string? NormalPhone(string? phone) => phone?.Where(char.IsAsciiDigit).ToArray() is { Length: > 0 } digits ? new string(digits) : null;

    /// <summary>Whether stored details are the target's: the same email (any case) or the same phone digits.</summary>
    public static (bool Email, bool Phone) Matches(Contact target, string? email, string? phone) =>
        (NormalEmail(target.Email) is { } e && NormalEmail(email) == e, NormalPhone(target.Phone) is { } p && NormalPhone(phone) == p);

    public async Task AddAsync(Contact contact, CancellationToken cancellationToken)
    {
        foreach (var (kind, value) in Keys(contact))
        {
            await Table.UpsertEntityAsync(new TableEntity(kind, value), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>The part of <paramref name="contact"/> that may be stored: erased details removed, null when nothing is left.</summary>
    public async Task<Contact?> KeepAsync(Contact? contact, CancellationToken cancellationToken)
    {
        if (contact is null)
        {
            return null;
        }

        var erased = new HashSet<string>();
        foreach (var (kind, value) in Keys(contact))
        {
            if (await Table.FindAsync<TableEntity>(kind, value, cancellationToken) is not null)
            {
                erased.Add(kind);
            }
        }

        var kept = new Contact(erased.Contains("email") ? null : contact.Email, erased.Contains("phone") ? null : contact.Phone);
        return (kept.Email ?? kept.Phone) is null ? null : kept;
    }

    /// <summary>
    /// Removes contact details from JSON text (a queue message, a webhook payload): every <c>contact</c>
    /// object's matching email and phone, or all of them when <paramref name="target"/> is null; a contact
    /// left empty becomes null. Returns null when nothing changed.
    /// </summary>
    public static string? Scrub(string json, Contact? target)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return root is not null && ScrubNode(root, target) ? root.ToJsonString() : null;
    }

    private static bool ScrubNode(JsonNode node, Contact? target)
    {
        var changed = false;
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                if (name.Equals("contact", StringComparison.OrdinalIgnoreCase) && value is JsonObject contact)
                {
                    var email = contact.FirstOrDefault(p => p.Key.Equals("email", StringComparison.OrdinalIgnoreCase));
                    var phone = contact.FirstOrDefault(p => p.Key.Equals("phone", StringComparison.OrdinalIgnoreCase));
                    var (e, p) = target is null ? (true, true) : Matches(target, Text(email.Value), Text(phone.Value));
                    e &= email.Value is not null;
                    p &= phone.Value is not null;
                    if (e || p)
                    {
                        var left = (e ? null : email.Value, p ? null : phone.Value);
                        if (left is (null, null))
                        {
                            obj[name] = null;
                        }
                        else
                        {
                            contact[email.Key ?? "email"] = e ? null : left.Item1?.DeepClone();
                            contact[phone.Key ?? "phone"] = p ? null : left.Item2?.DeepClone();
                        }

                        changed = true;
                    }
                }
                else if (value is not null)
                {
                    changed |= ScrubNode(value, target);
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array.Where(i => i is not null))
            {
                changed |= ScrubNode(item!, target);
            }
        }

        return changed;
    }

    // Poison messages may come from any client: a value that is not a string is not a contact.
    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static IEnumerable<(string Kind, string Hash)> Keys(Contact contact)
    {
        if (NormalEmail(contact.Email) is { } email)
        {
            yield return ("email", Hash(email));
        }

        if (NormalPhone(contact.Phone) is { } phone)
        {
            yield return ("phone", Hash(phone));
        }
    }

    private static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
