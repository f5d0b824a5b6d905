using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableValidationTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("Feedback2024")]
    [InlineData("A23456789012345678901234567890123456789012345678901234567890123")]
    public void TableName_Valid_IsAccepted(string name) => TableValidation.TableName(name);

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("ab-c")]
    [InlineData("ab_c")]
    [InlineData("tables")]
    [InlineData("Tables")]
    [InlineData("abc\n")]
    [InlineData("A234567890123456789012345678901234567890123456789012345678901234")]
    public void TableName_Invalid_Throws(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => TableValidation.TableName(name));
        Assert.Contains("Table name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TableClient_WithInvalidName_ThrowsAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new TableClient("UseDevelopmentStorage=true", "no-dashes"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("with space 'quote' % + é 🎉")]
    public void Key_Valid_IsAccepted(string key) => TableValidation.Key(key, "RowKey");

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("\u0000")]
    [InlineData("\u001F")]
    [InlineData("\u007F")]
    [InlineData("\u009F")]
    public void Key_WithForbiddenCharacter_Throws(string key)
    {
        Assert.Throws<ArgumentException>(() => TableValidation.Key(key, "RowKey"));
    }

    [Fact]
    public void Key_LongerThan1024_Throws()
    {
        TableValidation.Key(new string('k', 1024), "RowKey");
        Assert.Throws<ArgumentException>(() => TableValidation.Key(new string('k', 1025), "RowKey"));
    }

    [Fact]
    public void Entity_WithoutKeys_Throws()
    {
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity(), "entity"));
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity { ["PartitionKey"] = 1, ["RowKey"] = "r" }, "entity"));
    }

    [Theory]
    [InlineData("Score")]
    [InlineData("_private")]
    [InlineData("Übung2")]
    public void PropertyName_IdentifierLike_IsAccepted(string name) =>
        TableValidation.Entity(new TableEntity("p", "r") { [name] = 1 }, "entity");

    [Theory]
    [InlineData("2fast")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("a@odata.type")]
    [InlineData("")]
    public void PropertyName_NotAnIdentifier_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity("p", "r") { [name] = 1 }, "entity"));
    }

    [Fact]
    public void PropertyName_LongerThan255_Throws()
    {
        TableValidation.Entity(new TableEntity("p", "r") { [new string('a', 255)] = 1 }, "entity");
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity("p", "r") { [new string('a', 256)] = 1 }, "entity"));
    }

    [Fact]
    public void Entity_With252CustomProperties_IsAccepted_And253Throws()
    {
        var entity = new TableEntity("p", "r") { Timestamp = DateTimeOffset.UtcNow };
        for (var i = 0; i < 252; i++)
        {
            entity["P" + i] = i;
        }

        TableValidation.Entity(entity, "entity");
        entity["OneMore"] = 1;
        var error = Assert.Throws<ArgumentException>(() => TableValidation.Entity(entity, "entity"));
        Assert.Contains("253", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StringAndBinaryValues_AreLimited()
    {
        TableValidation.Entity(new TableEntity("p", "r") { ["S"] = new string('s', 32 * 1024), ["B"] = new byte[64 * 1024] }, "entity");
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity("p", "r") { ["S"] = new string('s', (32 * 1024) + 1) }, "entity"));
        Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity("p", "r") { ["B"] = new byte[(64 * 1024) + 1] }, "entity"));
    }

    [Fact]
    public void UnsupportedValueType_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => TableValidation.Entity(new TableEntity("p", "r") { ["M"] = 1.5m }, "entity"));
        Assert.Contains("Decimal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transaction_Rules_AreCheckedUpFront()
    {
        static TableTransactionAction Add(string pk, string rk) => new(TableTransactionActionType.Add, new TableEntity(pk, rk));

        TableValidation.Transaction(Enumerable.Range(0, 100).Select(i => Add("p", $"r{i}")).ToList(), "actions");
        Assert.Throws<ArgumentException>(() => TableValidation.Transaction([], "actions"));
        Assert.Throws<ArgumentException>(() => TableValidation.Transaction(Enumerable.Range(0, 101).Select(i => Add("p", $"r{i}")).ToList(), "actions"));
        Assert.Throws<ArgumentException>(() => TableValidation.Transaction([Add("p", "a"), Add("q", "b")], "actions"));
        Assert.Throws<ArgumentException>(() => TableValidation.Transaction([Add("p", "a"), Add("p", "a")], "actions"));
        Assert.Throws<ArgumentException>(() => TableValidation.Transaction([Add("p", "a/b")], "actions"));
    }
}
