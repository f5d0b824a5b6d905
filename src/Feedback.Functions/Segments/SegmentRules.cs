using System.Text.RegularExpressions;
using Feedback.Functions.Http;

namespace Feedback.Functions.Segments;

/// <summary>The rules of segment questions (checked on PUT) and of an answer's segments (checked on the request path).</summary>
public static partial class SegmentRules
{
    public const int MaxQuestions = 5;
    public const int MinOptions = 2;
    public const int MaxOptions = 8;
    public const int MaxTitle = 200;

    /// <summary>The languages of the customer pages; every title has all four.</summary>
    public static readonly IReadOnlyList<string> Languages = ["cs", "sk", "pl", "en"];

    private const string KeyRule = "1–20 characters of a–z and 0–9, starting with a letter.";

    public static Validator Validate(SegmentsRequest body)
    {
        var v = new Validator();
        if (body.Questions is not { Length: <= MaxQuestions } questions)
        {
            v.Add("questions", $"Required: a list of at most {MaxQuestions} questions (empty asks none).");
            return v;
        }

        for (var i = 0; i < questions.Length; i++)
        {
            var at = $"questions[{i}]";
            if (questions[i] is not { } q)
            {
                v.Add(at, "Must be an object.");
                continue;
            }

            v.Check(IsKey(q.Key), at + ".key", KeyRule);
            v.Check(q.Key is null || questions.Take(i).All(o => o?.Key != q.Key), at + ".key", "Each question needs its own key.");
            CheckTitle(v, q.Title, at + ".title");
            if (q.Options is not { Length: >= MinOptions and <= MaxOptions } options)
            {
                v.Add(at + ".options", $"Required: {MinOptions}–{MaxOptions} options.");
                continue;
            }

            for (var j = 0; j < options.Length; j++)
            {
                var optionAt = $"{at}.options[{j}]";
                if (options[j] is not { } o)
                {
                    v.Add(optionAt, "Must be an object.");
                    continue;
                }

                v.Check(IsKey(o.Value), optionAt + ".value", KeyRule);
                v.Check(o.Value is null || options.Take(j).All(p => p?.Value != o.Value), optionAt + ".value", "Each option of a question needs its own value.");
                CheckTitle(v, o.Title, optionAt + ".title");
            }
        }

        return v;
    }

    /// <summary>An answer's segments against the current questions: each key a question's, each value one of its options.</summary>
    public static Validator CheckAnswer(Validator v, IReadOnlyDictionary<string, string?>? segments, IReadOnlyList<SegmentQuestion> questions)
    {
        foreach (var (key, value) in segments ?? new Dictionary<string, string?>())
        {
            if (questions.FirstOrDefault(q => q.Key == key) is not { } question)
            {
                v.Add($"segments.{key}", questions.Count == 0
                    ? "No segment questions are set up."
                    : $"Unknown segment question; one of {string.Join(", ", questions.Select(q => q.Key))}.");
            }
            else if (!question.Options!.Any(o => o.Value == value))
            {
                v.Add($"segments.{key}", $"Unknown option '{value}'; one of {string.Join(", ", question.Options!.Select(o => o.Value))}.");
            }
        }

        return v;
    }

    private static void CheckTitle(Validator v, Dictionary<string, string>? title, string at) =>
        v.Check(title is not null && title.Count == Languages.Count && Languages.All(l => title.GetValueOrDefault(l) is { Length: >= 1 and <= MaxTitle }),
            at, $"Required: a title of 1–{MaxTitle} characters in each of cs, sk, pl and en, and no other language.");

    private static bool IsKey(string? key) => key is not null && KeyPattern().IsMatch(key);

    [GeneratedRegex("^[a-z][a-z0-9]{0,19}$")]
    private static partial Regex KeyPattern();
}
