using Feedback.Functions.Answers;
namespace Feedback.Functions.Scores;

/// <summary>NPS, CSAT and CES from counts, with the definitions in docs/scores.md.</summary>
public static class NpsMath
{
    public const double DefaultLowConfidenceThreshold = 20;

    // Two-sided 95%.
    private const double Z95 = 1.96;

    public static double? Nps(ScoreCounts counts)
    {
        var n = counts.NpsAnswers;
        return n == 0 ? null : 100.0 * (counts.Promoters - counts.Detractors) / n;
    }

    /// <summary>
    /// Adjusted Wald (add ¾ promoter, ¾ detractor and 1½ passive): unlike the plain Wald interval
    /// it stays honest for small n and for all-promoter stores, where the plain one has width 0.
    /// </summary>
    public static NpsEstimate? Estimate(ScoreCounts counts, double lowConfidenceThreshold = DefaultLowConfidenceThreshold)
    {
        var n = counts.NpsAnswers;
        if (n == 0)
        {
            return null;
        }

        var adjustedN = n + 3.0;
        var p = (counts.Promoters + 0.75) / adjustedN;
        var d = (counts.Detractors + 0.75) / adjustedN;
        var centre = 100 * (p - d);
        var marginOfError = Z95 * Math.Sqrt(Variance(p, d) / adjustedN) * 100;

        return new NpsEstimate(
            Nps: 100.0 * (counts.Promoters - counts.Detractors) / n,
            Centre: centre,
            MarginOfError: marginOfError,
            Low: Math.Max(-100, centre - marginOfError),
            High: Math.Min(100, centre + marginOfError),
            LowConfidence: marginOfError > lowConfidenceThreshold,
            Answers: n);
    }

    public static double? Csat(ScoreCounts counts) =>
        counts.CsatCount == 0 ? null : 100.0 * counts.CsatTop2 / counts.CsatCount;

    public static double? Ces(ScoreCounts counts) =>
        counts.CesCount == 0 ? null : (double)counts.CesSum / counts.CesCount;

    /// <summary>
    /// Two-sample z-test on the per-answer score (+1 promoter, 0 passive, −1 detractor), whose
    /// mean is NPS/100 and whose variance is p + d − (p − d)² on the raw proportions.
    /// </summary>
    public static NpsChange? Change(ScoreCounts current, ScoreCounts previous)
    {
        long n1 = current.NpsAnswers, n2 = previous.NpsAnswers;
        if (n1 == 0 || n2 == 0)
        {
            return null;
        }

        var delta = Nps(current)!.Value - Nps(previous)!.Value;
        var standardError = Math.Sqrt(Variance(current) / n1 + Variance(previous) / n2);
        if (standardError == 0)
        {
            // Every answer in each period is the same category: there is no noise estimate to
            // test against, and "1 detractor then 1 promoter" must not read as significant.
            return new NpsChange(delta, null, false);
        }

        var z = delta / 100 / standardError;
        return new NpsChange(delta, z, Math.Abs(z) >= Z95);
    }

    private static double Variance(ScoreCounts counts)
    {
        var n = (double)counts.NpsAnswers;
        return Variance(counts.Promoters / n, counts.Detractors / n);
    }

    // Clamped because rounding can take p + d − (p − d)² a hair below zero when it is 0.
    private static double Variance(double promoterShare, double detractorShare) =>
        Math.Max(0, promoterShare + detractorShare - Math.Pow(promoterShare - detractorShare, 2));
}
