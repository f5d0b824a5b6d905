using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableEntityTests
{
    [Fact]
    public void KeysAndTimestamp_LiveInThePropertyBag()
    {
        var entity = new TableEntity("p", "r") { Timestamp = DateTimeOffset.UnixEpoch };

        Assert.Equal("p", entity["PartitionKey"]);
        Assert.Equal("r", entity["RowKey"]);
        Assert.Equal(DateTimeOffset.UnixEpoch, entity["Timestamp"]);
        entity["RowKey"] = "r2";
        Assert.Equal("r2", entity.RowKey);
    }

    [Fact]
    public void PropertyNames_AreCaseSensitive()
    {
        var entity = new TableEntity { ["Score"] = 1, ["score"] = 2 };

        Assert.Equal(1, entity.GetInt32("Score"));
        Assert.Equal(2, entity.GetInt32("score"));
        Assert.Null(entity.GetInt32("SCORE"));
    }

    [Fact]
    public void Getters_ReturnNullForMissingOrNullProperties()
    {
        var entity = new TableEntity { ["Nothing"] = null };

        Assert.Null(entity.GetString("Missing"));
        Assert.Null(entity.GetInt32("Nothing"));
        Assert.Null(entity.GetInt64("Missing"));
        Assert.Null(entity.GetDouble("Missing"));
        Assert.Null(entity.GetBoolean("Missing"));
        Assert.Null(entity.GetDateTimeOffset("Missing"));
        Assert.Null(entity.GetGuid("Missing"));
        Assert.Null(entity.GetBinary("Missing"));
    }

    [Fact]
    public void Getters_WidenInt32ToInt64AndDouble()
    {
        var entity = new TableEntity { ["N"] = 5 };

        Assert.Equal(5L, entity.GetInt64("N"));
        Assert.Equal(5.0, entity.GetDouble("N"));
    }

    [Fact]
    public void Getters_ThrowOnAnotherType()
    {
        var entity = new TableEntity { ["N"] = 5L, ["S"] = "5" };

        Assert.Throws<InvalidOperationException>(() => entity.GetInt32("N"));
        Assert.Throws<InvalidOperationException>(() => entity.GetString("N"));
        Assert.Throws<InvalidOperationException>(() => entity.GetInt64("S"));
        Assert.Throws<InvalidOperationException>(() => entity.GetBinary("S"));
    }

    [Fact]
    public void GetDateTimeOffset_ReadsADateTimeAsUtc()
    {
        var entity = new TableEntity { ["T"] = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified) };

        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), entity.GetDateTimeOffset("T"));
    }
}
