using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Functions.Answers;

public enum NpsCategory
{
    Detractor,
    Passive,
    Promoter,
}

/// <summary>
/// An answer to "How likely are you to recommend us?", 0–10, and the one place that says what it
/// means: 0–6 a detractor, 7–8 a passive, 9–10 a promoter. On the wire it is the plain number.
/// </summary>
[JsonConverter(typeof(NpsScoreJson))]
public readonly record struct NpsScore
{
    public NpsScore(int value) =>
        Value = value is >= 0 and <= 10 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "An NPS score is 0–10.");

    public int Value { get; }

    public NpsCategory Category => Value switch
    {
        <= 6 => NpsCategory.Detractor,
        <= 8 => NpsCategory.Passive,
        _ => NpsCategory.Promoter,
    };

    public bool IsDetractor => Category == NpsCategory.Detractor;

    public static bool IsValid(int? value) => value is >= 0 and <= 10;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class NpsScoreJson : JsonConverter<NpsScore>
    {
        public override NpsScore Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => new(reader.GetInt32());

        public override void Write(Utf8JsonWriter writer, NpsScore value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
    }
}
