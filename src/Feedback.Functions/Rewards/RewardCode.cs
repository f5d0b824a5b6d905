using System.Security.Cryptography;

namespace Feedback.Functions.Rewards;

/// <summary>
/// Reward codes meant to be read aloud and typed at a till: 12 random Crockford base32 symbols
/// (60 bits) and one check symbol, shown as <c>K7QM-2XHD-9WPA-T</c>.
/// </summary>
/// <remarks>
/// The check symbol stays inside the 32-symbol alphabet (Crockford's mod-37 check would add
/// <c>*~$=U</c>, awkward to say and type). Symbols are read as elements of GF(32) with the
/// primitive polynomial x⁵ + x² + 1, and the check c is chosen so that
/// Σ sᵢ·α^(12−i) over all 13 symbols is 0. Because α has order 31 and the code is 13 long, any
/// single wrong symbol and any swap of two different symbols changes that sum, so both are
/// caught before a code ever reaches storage.
/// </remarks>
public static class RewardCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int DataLength = 12;
    private const int CodeLength = DataLength + 1;
    private const int GroupLength = 4;
    private const int MaxInputLength = 64;

    public static string New()
    {
        Span<char> symbols = stackalloc char[CodeLength];
        RandomNumberGenerator.GetItems(Alphabet, symbols[..DataLength]);
        symbols[DataLength] = Alphabet[MultiplyByAlpha(Syndrome(symbols[..DataLength]))];
        return Format(symbols);
    }

    /// <summary>
    /// Accepts a code as a customer or cashier might type it: any case, hyphens and spaces
    /// anywhere or nowhere, O for 0 and I or L for 1. Returns the canonical grouped form, or
    /// false for a wrong length, a symbol outside the alphabet, or a failing check symbol.
    /// </summary>
    public static bool TryNormalize(string? input, out string code)
    {
        code = "";
        if (input is null || input.Length > MaxInputLength)
        {
            return false;
        }

        Span<char> symbols = stackalloc char[CodeLength];
        var count = 0;
        foreach (var c in input)
        {
            if (c == '-' || char.IsWhiteSpace(c))
            {
                continue;
            }

            var symbol = Canonical(c);
            if (Alphabet.IndexOf(symbol, StringComparison.Ordinal) < 0 || count == CodeLength)
            {
                return false;
            }

            symbols[count++] = symbol;
        }

        if (count != CodeLength || Syndrome(symbols) != 0)
        {
            return false;
        }

        code = Format(symbols);
        return true;
    }

    private static char Canonical(char c) => char.ToUpperInvariant(c) switch
    {
        'O' => '0',
        'I' or 'L' => '1',
        var upper => upper,
    };

    // Horner's rule in GF(32): Σ sᵢ·α^(len−1−i).
    private static int Syndrome(ReadOnlySpan<char> symbols)
    {
        var sum = 0;
        foreach (var symbol in symbols)
        {
            sum = MultiplyByAlpha(sum) ^ Alphabet.IndexOf(symbol, StringComparison.Ordinal);
        }

        return sum;
    }

    private static int MultiplyByAlpha(int element)
    {
        element <<= 1;
        return (element & 0b100000) != 0 ? element ^ 0b100101 : element;
    }

    private static string Format(ReadOnlySpan<char> symbols) => string.Join('-',
        new string(symbols[..GroupLength]),
        new string(symbols[GroupLength..(2 * GroupLength)]),
        new string(symbols[(2 * GroupLength)..DataLength]),
        new string(symbols[DataLength..]));
}
