using System.Text.Encodings.Web;
using System.Text.Json;

namespace Feedback.Functions.FollowUp;

/// <summary>
/// A case's notes as one JSON array split across the <c>Notes</c>…<c>Notes9</c> columns of its row. A string
/// property holds 64 KiB (32,768 UTF-16 characters); the most a case holds, 50 notes of 1,000 characters,
/// is about 55,000 characters as JSON, and about 304,000 if every character needs a six-character escape.
/// Ten columns of 32,000 hold either, and the row stays well within the 1 MiB of an entity.
/// </summary>
internal static class CaseNoteColumns
{
    private const int ColumnChars = 32_000;
    private const int Columns = 10;

    // Stored, never rendered: only what JSON itself needs is escaped, so Czech or Polish text stays one character each.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CaseEntity Write(IReadOnlyList<CaseNote> notes, CaseEntity row)
    {
        var json = notes.Count == 0 ? "" : JsonSerializer.Serialize(notes, Json);
        var parts = new string?[Columns];
        for (int i = 0, at = 0; at < json.Length; i++)
        {
            if (i == Columns)
            {
                throw new InvalidOperationException($"Notes of {json.Length} characters do not fit in {Columns} columns.");
            }

            var length = Math.Min(ColumnChars, json.Length - at);
            if (at + length < json.Length && char.IsHighSurrogate(json[at + length - 1]))
            {
                length--; // a surrogate pair stays in one column
            }

            parts[i] = json.Substring(at, length);
            at += length;
        }

        (row.Notes, row.Notes1, row.Notes2, row.Notes3, row.Notes4) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        (row.Notes5, row.Notes6, row.Notes7, row.Notes8, row.Notes9) = (parts[5], parts[6], parts[7], parts[8], parts[9]);
        return row;
    }

    public static IReadOnlyList<CaseNote> Read(CaseEntity row) => row.Notes is null
        ? []
        : JsonSerializer.Deserialize<CaseNote[]>(
            string.Concat(row.Notes, row.Notes1, row.Notes2, row.Notes3, row.Notes4, row.Notes5, row.Notes6, row.Notes7, row.Notes8, row.Notes9), Json) ?? [];
}
