using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Pages;

namespace Feedback.UnitTests.Answers;

public sealed class BreakdownTests
{
    private static FeedbackSubmitted Answer(int score, string[] reasons, Dictionary<string, string>? segments = null, string? journeyId = null) =>
        new("answer-0001", "store-1", Touchpoint.Web, AnswerSource.Token, null, null, null, new NpsScore(score), null, null, reasons, null, "cs",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, journeyId, null, null, Segments: segments);

    [Fact]
    public void Of_ADetractorWithSegmentsReasonsAndJourney_CountsEachOnce()
    {
        var counts = BreakdownNames.Of(Answer(4, ["speed", "price", "speed", "parking lot"], new() { ["visit"] = "first" }, "j-1"));

        Assert.Equal(
            new Dictionary<string, long> { ["j.n"] = 1, ["r.price.d"] = 1, ["r.speed.d"] = 1, ["rq.d"] = 1, ["s.visit.first.d"] = 1 },
            counts.Counts.ToDictionary());
    }

    [Fact]
    public void Of_APromoterInAJourney_IsASatisfiedStep_AndWithoutCountedReasonsNotInTheReasonBase()
    {
        var counts = BreakdownNames.Of(Answer(9, ["parking lot"], journeyId: "j-1"));

        Assert.Equal(new Dictionary<string, long> { ["j.n"] = 1, ["j.s"] = 1 }, counts.Counts.ToDictionary());
        Assert.True(BreakdownNames.Of(Answer(7, [])).IsEmpty);
    }

    [Fact]
    public void Sums_AddAndSubtractByName_AndDropZeros()
    {
        var a = Breakdown.Of(["x", "y"]);
        var b = Breakdown.Of(["y", "z"]);

        Assert.Equal(new Dictionary<string, long> { ["x"] = 1, ["y"] = 2, ["z"] = 1 }, (a + b).Counts.ToDictionary());
        Assert.Equal(a, a + b - b);
        Assert.Equal(Breakdown.Empty, a - a);
        Assert.Throws<ArgumentOutOfRangeException>(() => a - b);
    }

    [Fact]
    public void ScoreCounts_WriteAndReadTheBreakdown_OnAShardAndUnderARollupPrefix()
    {
        var counts = new ScoreCounts { Promoters = 2, Answered = 2, Breakdown = Breakdown.Of(["s.visit.first.p"]) + Breakdown.Of(["s.visit.first.p", "j.n"]) };
        var shard = new TableEntity("p", "c.web.0");
        var rollup = new TableEntity("p", "day.2026-11-10");

        counts.WriteTo(shard);
        counts.WriteTo(rollup, "a_all_");

        Assert.Equal("""{"j.n":1,"s.visit.first.p":2}""", shard.GetString("Breakdown"));
        Assert.Equal(counts, ScoreCounts.ReadFrom(shard));
        Assert.Equal(counts, ScoreCounts.ReadFrom(rollup, "a_all_"));
        Assert.Equal(counts + counts, ScoreCounts.ReadFrom(shard) + ScoreCounts.ReadFrom(rollup, "a_all_"));
        Assert.NotEqual(counts, counts with { Breakdown = Breakdown.Empty });
    }

    [Fact]
    public void ScoreCounts_WithoutBreakdown_WriteNoBreakdownColumn()
    {
        var shard = new TableEntity("p", "c.web.0");

        new ScoreCounts { Promoters = 1 }.WriteTo(shard);

        Assert.False(shard.ContainsKey("Breakdown"));
        Assert.True(ScoreCounts.ReadFrom(shard).Breakdown.IsEmpty);
    }

    [Fact]
    public void ReasonCodes_AreTheReasonsEveryPageLanguageOffers()
    {
        var assets = new PageAssets();
        foreach (var language in PageTexts.Languages)
        {
            using var texts = System.Text.Json.JsonDocument.Parse(assets.Get(PageTexts.I18nPath(language)).Body);
            Assert.Equal(BreakdownNames.ReasonCodes, texts.RootElement.GetProperty("reasons").EnumerateObject().Select(p => p.Name));
        }
    }
}
