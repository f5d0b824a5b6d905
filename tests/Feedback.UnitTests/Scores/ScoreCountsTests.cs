using Feedback.Functions.Answers;
using Feedback.Functions.Scores;

namespace Feedback.UnitTests.Scores;

public class ScoreCountsTests
{
    [Fact]
    public void Add_SumsEveryCount()
    {
        var left = new ScoreCounts { Promoters = 1, Passives = 2, Detractors = 3, CsatTop2 = 4, CsatCount = 5, CesSum = 6, CesCount = 7 };
        var right = new ScoreCounts { Promoters = 10, Passives = 20, Detractors = 30, CsatTop2 = 40, CsatCount = 50, CesSum = 60, CesCount = 70 };

        var sum = left + right;

        Assert.Equal(new ScoreCounts { Promoters = 11, Passives = 22, Detractors = 33, CsatTop2 = 44, CsatCount = 55, CesSum = 66, CesCount = 77 }, sum);
        Assert.Equal(66, sum.NpsAnswers);
    }

    [Fact]
    public void Rollup_OfTwoStores_WeighsEachAnswerNotEachStore()
    {
        var small = new ScoreCounts { Promoters = 9, Detractors = 1 };          // NPS 80 from 10 answers
        var large = new ScoreCounts { Promoters = 20, Passives = 60, Detractors = 20 }; // NPS 0 from 100

        // 29 promoters, 21 detractors of 110: 7.27, where averaging the two scores would give 40.
        Assert.Equal(800.0 / 110, NpsMath.Nps(small + large)!.Value, 10);
    }

    [Fact]
    public void New_WithNegativeCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreCounts { Detractors = -1 });
    }
}
