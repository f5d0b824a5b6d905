using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableFilterTests
{
    [Fact]
    public void Create_EscapesEachValueByType()
    {
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        var filter = TableFilter.Create(
            $"S eq {"it's"} and I eq {-3} and L eq {123L} and D eq {2.5} and W eq {5.0} and B eq {true} and F eq {false} and T ge {when} and G eq {id} and X eq {new byte[] { 0x0a, 0xff }}");

        Assert.Equal(
            "S eq 'it''s' and I eq -3 and L eq 123L and D eq 2.5 and W eq 5.0 and B eq true and F eq false" +
            " and T ge datetime'2024-01-02T01:04:05.0000000Z' and G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and X eq X'0aff'",
            filter);
    }

    [Fact]
    public void Create_InjectedQuotesStayInsideTheLiteral()
    {
        var hostile = "' or 1 eq 1 or '";

        var filter = TableFilter.Create($"RowKey eq {hostile}");

        Assert.Equal("RowKey eq ''' or 1 eq 1 or '''", filter);
        // Outside the literal only the original operator remains: one "eq" and no "or".
        var outside = string.Concat(filter.Split('\'').Where((_, i) => i % 2 == 0));
        Assert.Equal("RowKey eq ", outside);
    }

    [Fact]
    public void Create_DoesNotDependOnTheCurrentCulture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("D eq 1.5", TableFilter.Create($"D eq {1.5}"));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Create_UnsupportedValueOrNonFiniteDouble_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"D eq {1.5m}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"D eq {double.NaN}"));
    }
}
