using System.Text;
using System.Text.Json;
using Azure;
using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableEntitySerializerTests
{
    private static string Json(TableEntity entity) => Encoding.UTF8.GetString(TableEntitySerializer.Serialize(entity));

    private static TableEntity Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return TableEntitySerializer.Read(doc.RootElement);
    }

    [Theory]
    [InlineData("s", "\"x\"", "")]
    [InlineData("i", "-7", "")]
    [InlineData("b", "true", "")]
    [InlineData("l", "\"9223372036854775807\"", ",\"V@odata.type\":\"Edm.Int64\"")]
    [InlineData("d", "1.25", ",\"V@odata.type\":\"Edm.Double\"")]
    [InlineData("d5", "5", ",\"V@odata.type\":\"Edm.Double\"")]
    [InlineData("nan", "\"NaN\"", ",\"V@odata.type\":\"Edm.Double\"")]
    [InlineData("inf", "\"Infinity\"", ",\"V@odata.type\":\"Edm.Double\"")]
    [InlineData("-inf", "\"-Infinity\"", ",\"V@odata.type\":\"Edm.Double\"")]
    [InlineData("dto", "\"2024-01-02T01:04:05.1234567Z\"", ",\"V@odata.type\":\"Edm.DateTime\"")]
    [InlineData("dt", "\"2024-01-02T03:04:05.0000000Z\"", ",\"V@odata.type\":\"Edm.DateTime\"")]
    [InlineData("guid", "\"0f8fad5b-d9cb-469f-a165-70867728950e\"", ",\"V@odata.type\":\"Edm.Guid\"")]
    [InlineData("bytes", "\"AAH+/w==\"", ",\"V@odata.type\":\"Edm.Binary\"")]
    public void Serialize_AnnotatesExactlyAsTheOfficialSdk(string kind, string value, string annotation)
    {
        object typed = kind switch
        {
            "s" => "x",
            "i" => -7,
            "b" => true,
            "l" => long.MaxValue,
            "d" => 1.25,
            "d5" => 5.0,
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "dto" => new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567),
            "dt" => new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            "guid" => Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            _ => new byte[] { 0, 1, 254, 255 },
        };

        Assert.Equal($"{{\"PartitionKey\":\"p\",\"RowKey\":\"r\",\"V\":{value}{annotation}}}", Json(new TableEntity("p", "r") { ["V"] = typed }));
    }

    [Fact]
    public void Serialize_LeavesOutNullsTimestampAndETag()
    {
        var entity = new TableEntity("p", "r") { ["Gone"] = null, ETag = new ETag("W/\"x\""), Timestamp = DateTimeOffset.UnixEpoch };

        Assert.Equal("{\"PartitionKey\":\"p\",\"RowKey\":\"r\"}", Json(entity));
    }

    [Fact]
    public void Serialize_KeepsTheBodyOnOneLine()
    {
        var json = Json(new TableEntity("p", "r") { ["Text"] = "line1\nline2\r\u2028end" });

        Assert.DoesNotContain('\n', json);
        Assert.DoesNotContain('\r', json);
        Assert.DoesNotContain('\u2028', json);
        Assert.Equal("line1\nline2\r\u2028end", Read(json).GetString("Text"));
    }

    [Fact]
    public void Read_AzuriteMinimalMetadataEntity_GivesExactTypes()
    {
        // Captured from Azurite 3.37 (GET one entity, Accept: minimalmetadata).
        const string captured = """
            {"odata.metadata":"http://127.0.0.1:38889/devstoreaccount1/$metadata#probed24dd89d/@Element",
             "odata.etag":"W/\"datetime'2026-11-22T12%3A13%3A24.5431595Z'\"","PartitionKey":"p","RowKey":"a b'c%d+e é",
             "I":5,"L@odata.type":"Edm.Int64","L":"5","D":5.0,"D2":1.5,"N@odata.type":"Edm.Double","N":"NaN",
             "Inf@odata.type":"Edm.Double","Inf":"-Infinity","T@odata.type":"Edm.DateTime","T":"2024-01-02T01:04:05.1234567Z",
             "G@odata.type":"Edm.Guid","G":"df4e4b1f-078c-4fe6-90c9-12e4d81e0a5c","B@odata.type":"Edm.Binary","B":"AQID",
             "S":"x","Bo":true,"Big@odata.type":"Edm.Int64","Big":"9223372036854775807","Timestamp":"2026-11-22T12:13:24.5431595Z"}
            """;

        var e = Read(captured);

        Assert.Equal(new ETag("W/\"datetime'2026-11-22T12%3A13%3A24.5431595Z'\""), e.ETag);
        Assert.Equal("a b'c%d+e é", e.RowKey);
        Assert.Equal(5, Assert.IsType<int>(e["I"]));
        Assert.Equal(5L, Assert.IsType<long>(e["L"]));
        Assert.Equal(5.0, Assert.IsType<double>(e["D"]));
        Assert.Equal(1.5, Assert.IsType<double>(e["D2"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(e["N"])));
        Assert.Equal(double.NegativeInfinity, e["Inf"]);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 5, TimeSpan.Zero).AddTicks(1234567), Assert.IsType<DateTimeOffset>(e["T"]));
        Assert.Equal(Guid.Parse("df4e4b1f-078c-4fe6-90c9-12e4d81e0a5c"), Assert.IsType<Guid>(e["G"]));
        Assert.Equal([1, 2, 3], Assert.IsType<byte[]>(e["B"]));
        Assert.Equal("x", e["S"]);
        Assert.Equal(true, e["Bo"]);
        Assert.Equal(long.MaxValue, e["Big"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 12, 13, 24, TimeSpan.Zero).AddTicks(5431595), e.Timestamp);
        Assert.DoesNotContain(e.Keys, k => k.Contains('@', StringComparison.Ordinal) || k.StartsWith("odata.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("5", typeof(int))]
    [InlineData("-2147483648", typeof(int))]
    [InlineData("5.0", typeof(double))]
    [InlineData("1e3", typeof(double))]
    [InlineData("2147483648", typeof(double))]
    public void Read_UnannotatedNumber_IsInt32OnlyWithoutDecimalPointOrExponent(string number, Type expected)
    {
        Assert.IsType(expected, Read($"{{\"PartitionKey\":\"p\",\"RowKey\":\"r\",\"V\":{number}}}")["V"]);
    }

    [Fact]
    public void Read_AnnotatedWholeDouble_IsDouble()
    {
        Assert.Equal(5.0, Assert.IsType<double>(Read("{\"V\":5,\"V@odata.type\":\"Edm.Double\"}")["V"]));
    }

    [Fact]
    public void RoundTrip_EveryType_KeepsValueAndType()
    {
        var original = new TableEntity("p", "r")
        {
            ["S"] = "héllo 🎉", ["I"] = int.MinValue, ["L"] = long.MinValue, ["D"] = Math.PI, ["W"] = 7.0,
            ["N"] = double.NaN, ["B"] = false, ["T"] = DateTimeOffset.MaxValue, ["G"] = Guid.NewGuid(), ["X"] = new byte[] { 9 },
        };

        var copy = Read(Json(original));

        foreach (var (name, value) in original)
        {
            Assert.Equal(value!.GetType(), copy[name]!.GetType());
            Assert.Equal(value, copy[name]);
        }
    }

    [Fact]
    public void RoundTrip_LocalDateTime_ComesBackAsTheSameInstantInUtc()
    {
        var local = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.FromHours(-7));

        var copy = Read(Json(new TableEntity("p", "r") { ["T"] = local })).GetDateTimeOffset("T")!.Value;

        Assert.Equal(local, copy);
        Assert.Equal(TimeSpan.Zero, copy.Offset);
    }
}
