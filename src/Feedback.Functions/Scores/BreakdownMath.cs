namespace Feedback.Functions.Scores;

/// <summary>A share in percent with its 95% interval (Agresti–Coull), and its n.</summary>
public sealed record ShareEstimate(double Share, double Low, double High, long N);

/// <summary>The difference of two shares in percentage points, its 95% interval (Agresti–Caffo); significant when the interval excludes 0.</summary>
public sealed record ShareDifference(double Difference, double Low, double High, bool Significant);

/// <summary>A product of step shares in percent with its 95% interval (delta method).</summary>
public sealed record ProductEstimate(double Product, double Low, double High);

/// <summary>
/// The interval maths of segments, drivers and journeys (docs/scores.md). Like <see cref="NpsMath"/>, each interval is
/// centred on slightly adjusted counts so it stays honest for small n and for shares of 0 or 100%; the figure itself is
/// the plain share. Values are unrounded.
/// </summary>
public static class BreakdownMath
{
    private const double Z95 = 1.96;

    /// <summary>k of n, with the Agresti–Coull interval: add 2 of each outcome (≈ z²/2), then the Wald formula.</summary>
    public static ShareEstimate? Share(long k, long n)
    {
        if (n == 0)
        {
            return null;
        }

        var adjustedN = n + 4.0;
        var p = (k + 2) / adjustedN;
        var margin = Z95 * Math.Sqrt(p * (1 - p) / adjustedN);
        return new ShareEstimate(100.0 * k / n, 100 * Math.Max(0, p - margin), 100 * Math.Min(1, p + margin), n);
    }

    /// <summary>k1/n1 − k2/n2 of two independent groups, with the Agresti–Caffo interval: add 1 of each outcome to each group.</summary>
    public static ShareDifference? Difference(long k1, long n1, long k2, long n2)
    {
        if (n1 == 0 || n2 == 0)
        {
            return null;
        }

        double p1 = (k1 + 1.0) / (n1 + 2), p2 = (k2 + 1.0) / (n2 + 2);
        var margin = Z95 * Math.Sqrt((p1 * (1 - p1) / (n1 + 2)) + (p2 * (1 - p2) / (n2 + 2)));
        double low = Math.Max(-1, p1 - p2 - margin), high = Math.Min(1, p1 - p2 + margin);
        return new ShareDifference(100 * (((double)k1 / n1) - ((double)k2 / n2)), 100 * low, 100 * high, low > 0 || high < 0);
    }

    /// <summary>
    /// The product of step shares (satisfied of n at each step), with a delta-method interval centred on it:
    /// Var(p₁⋯pₖ) ≈ Σᵢ (∏ⱼ≠ᵢ pⱼ)² pᵢ(1−pᵢ)/nᵢ, taken on the Agresti–Coull adjusted shares (n + 4, 2 added to each
    /// outcome) so that a step at 100% still carries its uncertainty; null without steps or with an empty one.
    /// </summary>
    public static ProductEstimate? Product(IReadOnlyList<(long Satisfied, long N)> steps)
    {
        if (steps.Count == 0 || steps.Any(s => s.N == 0))
        {
            return null;
        }

        var product = steps.Aggregate(1.0, (p, s) => p * s.Satisfied / s.N);
        var adjusted = steps.Select(s => (P: (s.Satisfied + 2) / (s.N + 4.0), N: s.N + 4.0)).ToList();
        var adjustedProduct = adjusted.Aggregate(1.0, (p, s) => p * s.P);
        var variance = adjusted.Sum(s => Math.Pow(adjustedProduct / s.P, 2) * s.P * (1 - s.P) / s.N);
        var margin = Z95 * Math.Sqrt(variance);
        return new ProductEstimate(100 * product, 100 * Math.Max(0, product - margin), 100 * Math.Min(1, product + margin));
    }
}
