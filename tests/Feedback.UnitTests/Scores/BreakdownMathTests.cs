using Feedback.Functions.Scores;

namespace Feedback.UnitTests.Scores;

/// <summary>Vectors worked by hand from the formulas in docs/scores.md (z = 1.96), to the digits shown.</summary>
public sealed class BreakdownMathTests
{
    [Fact]
    public void Share_ThreeOfTen_IsAgrestiCoull()
    {
        // p~ = (3+2)/(10+4) = 5/14 = 0.357143; margin = 1.96·√(0.357143·0.642857/14) = 1.96·0.128060 = 0.250998
        // interval = [0.357143 − 0.250998, 0.357143 + 0.250998] = [10.614%, 60.814%]
        var share = BreakdownMath.Share(3, 10)!;

        Assert.Equal(30, share.Share, 10);
        Assert.Equal(10.614, share.Low, 3);
        Assert.Equal(60.814, share.High, 3);
        Assert.Equal(10, share.N);
    }

    [Fact]
    public void Share_AtZeroAndAtAll_KeepsAnInterval_ClampedToTheScale()
    {
        // 0 of 5: p~ = 2/9 = 0.222222, margin = 1.96·√(0.222222·0.777778/9) = 0.271617 → [0 (clamped), 49.384%]
        var none = BreakdownMath.Share(0, 5)!;
        Assert.Equal((0.0, 0.0), (none.Share, none.Low));
        Assert.Equal(49.384, none.High, 3);

        // 5 of 5: p~ = 7/9, the same margin → [50.616%, 100 (clamped)]
        var all = BreakdownMath.Share(5, 5)!;
        Assert.Equal((100.0, 100.0), (all.Share, all.High));
        Assert.Equal(50.616, all.Low, 3);

        Assert.Null(BreakdownMath.Share(0, 0));
    }

    [Fact]
    public void Difference_SixOfTenAgainstTwoOfTwenty_IsAgrestiCaffo_AndSignificant()
    {
        // raw: 6/10 − 2/20 = 0.5. p1~ = 7/12 = 0.583333, p2~ = 3/22 = 0.136364, centre 0.446970
        // margin = 1.96·√(0.583333·0.416667/12 + 0.136364·0.863636/22) = 1.96·√(0.020255 + 0.005353) = 0.313647
        // interval = [13.332, 76.062] points: excludes 0
        var difference = BreakdownMath.Difference(6, 10, 2, 20)!;

        Assert.Equal(50, difference.Difference, 10);
        Assert.Equal(13.332, difference.Low, 3);
        Assert.Equal(76.062, difference.High, 3);
        Assert.True(difference.Significant);
    }

    [Fact]
    public void Difference_OfEqualSmallGroups_IsNotSignificant()
    {
        // 1 of 4 against 1 of 4: p~ = 2/6 each, centre 0, margin = 1.96·√(2·(1/3·2/3)/6) = 0.533444 → [−53.344, 53.344]
        var difference = BreakdownMath.Difference(1, 4, 1, 4)!;

        Assert.Equal(0, difference.Difference, 10);
        Assert.Equal(-53.344, difference.Low, 3);
        Assert.Equal(53.344, difference.High, 3);
        Assert.False(difference.Significant);
        Assert.Null(BreakdownMath.Difference(1, 4, 0, 0));
    }

    [Fact]
    public void Product_OfNinetySeventyFiveSixty_IsAbout40Percent_WithDeltaMethodInterval()
    {
        // The design example: 0.9 × 0.75 × 0.6 = 0.405 (100 answers a step).
        // Adjusted: 92/104 = 0.884615, 77/104 = 0.740385, 62/104 = 0.596154, n~ = 104; their product 0.390454.
        // Var = Σ (product/p~ᵢ)² p~ᵢ(1−p~ᵢ)/104 = 0.000192 + 0.000535 + 0.000971 = 0.001698; margin = 1.96·√0.001698 = 0.080772
        // interval around 0.405: [32.423%, 48.577%]
        var product = BreakdownMath.Product([(90, 100), (75, 100), (60, 100)])!;

        Assert.Equal(40.5, product.Product, 10);
        Assert.Equal(32.423, product.Low, 3);
        Assert.Equal(48.577, product.High, 3);
    }

    [Fact]
    public void Product_OfStepsAtFullMarks_StillCarriesItsUncertainty()
    {
        // 5 of 5 twice: product 1. Adjusted 7/9 each (n~ 9): Var = 2·(7/9)²·(7/9·2/9)/9 = 0.023235; margin 0.298763 → [70.124%, 100]
        var product = BreakdownMath.Product([(5, 5), (5, 5)])!;

        Assert.Equal((100.0, 100.0), (product.Product, product.High));
        Assert.Equal(70.124, product.Low, 3);
        Assert.Null(BreakdownMath.Product([]));
        Assert.Null(BreakdownMath.Product([(1, 2), (0, 0)]));
    }
}
