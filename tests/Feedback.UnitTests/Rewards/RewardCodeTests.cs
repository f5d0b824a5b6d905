using System.Text.RegularExpressions;
using Feedback.Functions.Rewards;

namespace Feedback.UnitTests.Rewards;

public partial class RewardCodeTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    // Check symbols computed independently (a Python transcription of the GF(32) rule).
    private const string Sample = "K7QM-2XHD-9WPA-Y";
    private const string SampleWithZeroAndOne = "K7QM-20HD-1WPA-J";

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$")]
    private static partial Regex GroupedCode();

    [Fact]
    public void New_ReturnsGroupedCodeThatNormalizesToItself()
    {
        for (var i = 0; i < 100; i++)
        {
            var code = RewardCode.New();

            Assert.Matches(GroupedCode(), code);
            Assert.True(RewardCode.TryNormalize(code, out var normalized), code);
            Assert.Equal(code, normalized);
        }
    }

    [Fact]
    public void New_OverTenThousandCodes_NeverRepeatsAndUsesEverySymbolInEveryDataPosition()
    {
        var codes = Enumerable.Range(0, 10_000).Select(_ => RewardCode.New()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());

        // A narrower source (hex digits, a biased byte-to-symbol map) would leave symbols unused.
        foreach (var position in new[] { 0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13 })
        {
            Assert.Equal(Alphabet.Length, codes.Select(code => code[position]).Distinct().Count());
        }
    }

    [Theory]
    [InlineData(Sample)]
    [InlineData(SampleWithZeroAndOne)]
    public void TryNormalize_WithIndependentlyComputedCode_Accepts(string code)
    {
        Assert.True(RewardCode.TryNormalize(code, out var normalized));
        Assert.Equal(code, normalized);
    }

    [Theory]
    [InlineData("k7qm-2xhd-9wpa-y")]
    [InlineData("K7QM2XHD9WPAY")]
    [InlineData("k7qm 2xhd 9wpa y")]
    [InlineData(" K7QM--2XHD -9WPA-Y ")]
    [InlineData("K-7-Q-M-2-X-H-D-9-W-P-A-Y")]
    [InlineData("K7QM2XHD\t9WPAY")]
    public void TryNormalize_WithCaseAndSeparatorVariants_ReturnsCanonicalCode(string input)
    {
        Assert.True(RewardCode.TryNormalize(input, out var code));
        Assert.Equal(Sample, code);
    }

    [Theory]
    [InlineData("K7QM-2OHD-IWPA-J")]
    [InlineData("k7qm-2ohd-lwpa-j")]
    [InlineData("K7QM-2oHD-LWPA-J")]
    [InlineData("k7qm2ohdiwpaj")]
    public void TryNormalize_WithCrockfordConfusables_ReadsOAsZeroAndIOrLAsOne(string input)
    {
        Assert.True(RewardCode.TryNormalize(input, out var code));
        Assert.Equal(SampleWithZeroAndOne, code);
    }

    [Fact]
    public void TryNormalize_WithAnySingleSymbolSubstituted_Rejects()
    {
        var symbols = Sample.Replace("-", "", StringComparison.Ordinal);
        var tried = 0;

        for (var position = 0; position < symbols.Length; position++)
        {
            foreach (var replacement in Alphabet.Where(c => c != symbols[position]))
            {
                var altered = symbols[..position] + replacement + symbols[(position + 1)..];
                Assert.False(RewardCode.TryNormalize(altered, out _), altered);
                tried++;
            }
        }

        Assert.Equal(13 * 31, tried);
    }

    [Fact]
    public void TryNormalize_WithAnyTwoDifferentSymbolsSwapped_Rejects()
    {
        var symbols = Sample.Replace("-", "", StringComparison.Ordinal).ToCharArray();

        for (var i = 0; i < symbols.Length; i++)
        {
            for (var j = i + 1; j < symbols.Length; j++)
            {
                if (symbols[i] == symbols[j])
                {
                    continue;
                }

                var swapped = (char[])symbols.Clone();
                (swapped[i], swapped[j]) = (swapped[j], swapped[i]);
                Assert.False(RewardCode.TryNormalize(new string(swapped), out _), new string(swapped));
            }
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("----")]
    [InlineData("K7QM-2XHD-9WPA")]      // check symbol missing
    [InlineData("K7QM-2XHD-9WPA-YY")]   // one symbol too many
    [InlineData("K7QM-2XHD-9WPA-Y0")]
    [InlineData("K7QM-2XHD-9WPU-Y")]    // U is not in the alphabet
    [InlineData("K7QM-2XHD-9WPA-*")]    // nor are Crockford's extra check symbols
    [InlineData("K7QM_2XHD_9WPA_Y")]
    [InlineData("K7QM-2XHD-9WPA-Ÿ")]
    public void TryNormalize_WithWrongLengthOrForeignSymbol_Rejects(string? input)
    {
        Assert.False(RewardCode.TryNormalize(input, out var code));
        Assert.Equal("", code);
    }

    [Fact]
    public void TryNormalize_WithOverlongInputOfSeparators_Rejects()
    {
        Assert.False(RewardCode.TryNormalize(Sample + new string(' ', 64), out _));
    }
}
