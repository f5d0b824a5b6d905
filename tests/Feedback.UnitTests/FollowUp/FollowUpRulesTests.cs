using Feedback.Functions.Answers;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Storage;

namespace Feedback.UnitTests.FollowUp;

public sealed class FollowUpRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static FeedbackSubmitted Answer(int score, Contact? contact = null) => new(
        "fb-00000001", "prague-01", Touchpoint.Store, AnswerSource.Token, null, null, null, new NpsScore(score), null, null, ["speed"], "Slow",
        "cs", At, At, null, null, contact);

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Detractor_GetsAFollowUp_WithoutContactWhenNoneWasGiven(int score)
    {
        var followUp = FollowUpRequested.For(Answer(score));

        Assert.NotNull(followUp);
        Assert.True(followUp.Detractor);
        Assert.False(followUp.CallbackRequested);
        Assert.Null(followUp.Contact);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    public void PassiveOrPromoter_WithoutContact_GetsNoFollowUp(int score) =>
        Assert.Null(FollowUpRequested.For(Answer(score)));

    [Fact]
    public void Promoter_WithConsentedContact_GetsACallBack()
    {
        var followUp = FollowUpRequested.For(Answer(10, new Contact("jana@example.cz", null)));

        Assert.NotNull(followUp);
        Assert.False(followUp.Detractor);
        Assert.True(followUp.CallbackRequested);
        Assert.Equal("jana@example.cz", followUp.Contact!.Email);
    }

    [Theory]
    [InlineData(4, 2, true)]
    [InlineData(4, 1, false)]
    [InlineData(3, 3, false)]
    [InlineData(5, 3, true)]
    [InlineData(5, 2, false)]
    [InlineData(10, 5, true)]
    public void BurstRule_NeedsAtLeastHalfOfAtLeastFourAnswers(long answers, long detractors, bool burst) =>
        Assert.Equal(burst, BurstRule.IsBurst(answers, detractors, 4, 0.5));

    [Fact]
    public void BurstRule_TreatsAShareThatIsNotExactInBinaryAsMet()
    {
        Assert.True(BurstRule.IsBurst(10, 3, 4, 0.3));
        Assert.False(BurstRule.IsBurst(10, 2, 4, 0.3));
    }

    [Fact]
    public void CaseRowKeys_SortNewestFirst()
    {
        var older = CaseStore.RowKey(At, "zzzzzzzz");
        var newer = CaseStore.RowKey(At.AddTicks(1), "aaaaaaaa");

        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.Equal(21, CaseStore.Inverted(At).Length + 2);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c.0000000000000000001.abc")]
    [InlineData("c3RvcmUgaWQ")]
    public void PageToken_RoundTripsTheTablesContinuation(string continuation)
    {
        Assert.True(PageToken.TryDecode(PageToken.Encode(continuation), out var decoded));
        Assert.Equal(continuation, decoded ?? "");
        Assert.DoesNotContain('=', PageToken.Encode(continuation + "x") ?? "");
    }

    [Fact]
    public void PageToken_RefusesWhatIsNotBase64Url() => Assert.False(PageToken.TryDecode("not a token!", out _));

    [Theory]
    [InlineData("a b c")]
    [InlineData(" x")]
    [InlineData("x ")]
    [InlineData("1!8!c3RvcmU-\n1")]
    [InlineData("ž")]
    [InlineData("\u0000")]
    public void PageToken_RefusesAContinuationNotShapedLikeTheTables(string forged) =>
        Assert.False(PageToken.TryDecode(PageToken.Encode(forged), out _));
}
