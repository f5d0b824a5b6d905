using Feedback.Functions.Pages;
using Feedback.Functions.Segments;

namespace Feedback.UnitTests.Segments;

public sealed class SegmentRulesTests
{
    private static Dictionary<string, string> Title(string text) => new() { ["cs"] = text, ["sk"] = text, ["pl"] = text, ["en"] = text };

    private static SegmentQuestion Question(string key, params string[] values) =>
        new(key, Title(key), [.. values.Select(v => new SegmentOption(v, Title(v)))]);

    [Fact]
    public void Validate_AcceptsFiveQuestionsOfTwoToEightOptions()
    {
        var body = new SegmentsRequest([Question("visit", "first", "regular"), Question("party", "alone", "family", "friends"),
            Question("age", "a", "b", "c", "d", "e", "f", "g", "h"), Question("q4", "x", "y"), Question("q5", "x", "y")]);

        Assert.True(SegmentRules.Validate(body).IsValid);
        Assert.True(SegmentRules.Validate(new SegmentsRequest([])).IsValid);
    }

    [Fact]
    public void Validate_NamesEachBadField()
    {
        var body = new SegmentsRequest([
            Question("visit", "first"),
            Question("visit", "a", "a"),
            new SegmentQuestion("Bad-Key", new() { ["cs"] = "x", ["en"] = "x" }, [new SegmentOption("ok", Title("ok")), new SegmentOption("x y", null)]),
        ]);

        var errors = SegmentRules.Validate(body).Errors;

        Assert.Equal(
            ["questions[0].options", "questions[1].key", "questions[1].options[1].value", "questions[2].key", "questions[2].options[1].title",
             "questions[2].options[1].value", "questions[2].title"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_RefusesMoreThanFiveQuestions_OrNone()
    {
        Assert.Contains("questions", SegmentRules.Validate(new SegmentsRequest([.. Enumerable.Range(0, 6).Select(i => Question($"q{i}", "a", "b"))])).Errors.Keys);
        Assert.Contains("questions", SegmentRules.Validate(new SegmentsRequest(null)).Errors.Keys);
        Assert.Contains("questions[0].options", SegmentRules.Validate(new SegmentsRequest([Question("q", "a", "b", "c", "d", "e", "f", "g", "h", "i")])).Errors.Keys);
    }

    [Fact]
    public void CheckAnswer_NamesAnUnknownKeyOrValue()
    {
        SegmentQuestion[] questions = [Question("visit", "first", "regular")];

        var errors = SegmentRules.CheckAnswer(new(), new Dictionary<string, string?> { ["visit"] = "third", ["age"] = "30", ["x"] = null }, questions).Errors;

        Assert.Equal(["segments.age", "segments.visit", "segments.x"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("third", errors["segments.visit"][0]);
        Assert.True(SegmentRules.CheckAnswer(new(), new Dictionary<string, string?> { ["visit"] = "regular" }, questions).IsValid);
    }

    [Fact]
    public void Languages_AreThePageLanguages() => Assert.Equal(PageTexts.Languages, SegmentRules.Languages);
}
