using Feedback.Functions.Answers;
using Feedback.Functions.Scores;

namespace Feedback.UnitTests.Scores;

public class NpsMathTests
{
    private static ScoreCounts Nps(long promoters, long passives, long detractors) =>
        new() { Promoters = promoters, Passives = passives, Detractors = detractors };

    [Fact]
    public void Nps_WithFifteenPromotersNinePassivesSixDetractors_Is30()
    {
        Assert.Equal(30, NpsMath.Nps(Nps(15, 9, 6))!.Value, 10);
    }

    [Fact]
    public void Nps_WithNoAnswers_IsNull()
    {
        Assert.Null(NpsMath.Nps(default));
    }

    [Fact]
    public void Estimate_WithFifteenNineSix_MatchesHandComputedAdjustedWald()
    {
        // n' = 33, p' = 15.75/33, d' = 6.75/33
        var estimate = NpsMath.Estimate(Nps(15, 9, 6));

        Assert.NotNull(estimate);
        Assert.Equal(30, estimate.Nps, 10);
        Assert.Equal(27.3, estimate.Centre, 0.05);
        Assert.Equal(26.6, estimate.MarginOfError, 0.05);
        Assert.Equal(estimate.Centre - estimate.MarginOfError, estimate.Low, 10);
        Assert.Equal(estimate.Centre + estimate.MarginOfError, estimate.High, 10);
        Assert.Equal(0.68, estimate.Low, 0.01);
        Assert.Equal(53.86, estimate.High, 0.01);
        Assert.True(estimate.LowConfidence);
        Assert.Equal(30, estimate.Answers);
    }

    [Fact]
    public void Estimate_WithNoAnswers_IsNull()
    {
        Assert.Null(NpsMath.Estimate(new ScoreCounts { CsatCount = 5, CsatTop2 = 5 }));
    }

    [Fact]
    public void Estimate_WithAllPromoters_ClampsHighTo100AndKeepsAWideInterval()
    {
        // n' = 13, p' = 10.75/13, d' = 0.75/13: centre 76.92, moe 29.42
        var estimate = NpsMath.Estimate(Nps(10, 0, 0))!;

        Assert.Equal(100, estimate.Nps, 10);
        Assert.Equal(76.92, estimate.Centre, 0.01);
        Assert.Equal(29.42, estimate.MarginOfError, 0.01);
        Assert.Equal(47.50, estimate.Low, 0.01);
        Assert.Equal(100, estimate.High);
    }

    [Fact]
    public void Estimate_WithAllDetractors_ClampsLowToMinus100()
    {
        var estimate = NpsMath.Estimate(Nps(0, 0, 10))!;

        Assert.Equal(-100, estimate.Nps, 10);
        Assert.Equal(-76.92, estimate.Centre, 0.01);
        Assert.Equal(-100, estimate.Low);
        Assert.Equal(-47.50, estimate.High, 0.01);
    }

    [Fact]
    public void Estimate_WithThousandAnswers_IsNotLowConfidence()
    {
        // n' = 1003, p' = 500.75/1003, d' = 200.75/1003: moe 4.83
        var estimate = NpsMath.Estimate(Nps(500, 300, 200))!;

        Assert.Equal(4.83, estimate.MarginOfError, 0.01);
        Assert.False(estimate.LowConfidence);
    }

    [Theory]
    [InlineData(26.5, true)]
    [InlineData(26.7, false)]
    public void Estimate_LowConfidence_ComparesMarginOfErrorWithThreshold(double threshold, bool expected)
    {
        Assert.Equal(expected, NpsMath.Estimate(Nps(15, 9, 6), threshold)!.LowConfidence);
    }

    [Fact]
    public void Csat_IsPercentOfTopTwoAnswers()
    {
        Assert.Equal(87.5, NpsMath.Csat(new ScoreCounts { CsatTop2 = 7, CsatCount = 8 })!.Value, 10);
    }

    [Fact]
    public void Csat_WithNoAnswers_IsNull()
    {
        Assert.Null(NpsMath.Csat(Nps(1, 1, 1)));
    }

    [Fact]
    public void Ces_IsMeanOfAnswers()
    {
        Assert.Equal(3.7, NpsMath.Ces(new ScoreCounts { CesSum = 37, CesCount = 10 })!.Value, 10);
    }

    [Fact]
    public void Ces_WithNoAnswers_IsNull()
    {
        Assert.Null(NpsMath.Ces(Nps(1, 1, 1)));
    }

    [Fact]
    public void Change_WithSmallSamples_MatchesHandComputedZAndIsNotSignificant()
    {
        // var1 = 0.5 + 0.2 − 0.3² = 0.61; var2 = 2/3 − 0 = 0.6667; z = 0.30 / √(0.61/30 + 0.6667/30) = 1.4543
        var change = NpsMath.Change(Nps(15, 9, 6), Nps(10, 10, 10))!;

        Assert.Equal(30, change.Delta, 10);
        Assert.Equal(1.4543, change.Z!.Value, 0.0001);
        Assert.False(change.Significant);
    }

    [Fact]
    public void Change_WithLargeImprovement_MatchesHandComputedZAndIsSignificant()
    {
        // var1 = 0.7 − 0.5² = 0.45; var2 = 0.7 − 0.1² = 0.69; z = 0.60 / √(0.0045 + 0.0069) = 5.6195
        var change = NpsMath.Change(Nps(60, 30, 10), Nps(30, 30, 40))!;

        Assert.Equal(60, change.Delta, 10);
        Assert.Equal(5.6195, change.Z!.Value, 0.0001);
        Assert.True(change.Significant);
    }

    [Fact]
    public void Change_WithDecline_HasNegativeDeltaAndZ()
    {
        // Previous period all promoters has zero variance; the test still works on the current one's:
        // z = (30 − 100)/100 / √(0.61/30) = −4.9091
        var change = NpsMath.Change(Nps(15, 9, 6), Nps(20, 0, 0))!;

        Assert.Equal(-70, change.Delta, 10);
        Assert.Equal(-4.9091, change.Z!.Value, 0.0001);
        Assert.True(change.Significant);
    }

    [Fact]
    public void Change_WhenEitherPeriodHasNoAnswers_IsNull()
    {
        Assert.Null(NpsMath.Change(Nps(15, 9, 6), default));
        Assert.Null(NpsMath.Change(default, Nps(15, 9, 6)));
    }

    [Fact]
    public void Change_WithZeroVarianceInBothPeriodsAndNoChange_HasNoZAndIsNotSignificant()
    {
        var change = NpsMath.Change(Nps(40, 0, 0), Nps(25, 0, 0))!;

        Assert.Equal(0, change.Delta, 10);
        Assert.Null(change.Z);
        Assert.False(change.Significant);
    }

    [Fact]
    public void Change_WithZeroVarianceInBothPeriodsAndAFullSwing_HasNoZAndIsNotSignificant()
    {
        var change = NpsMath.Change(Nps(1, 0, 0), Nps(0, 0, 1))!;

        Assert.Equal(200, change.Delta, 10);
        Assert.Null(change.Z);
        Assert.False(change.Significant);
    }
}
