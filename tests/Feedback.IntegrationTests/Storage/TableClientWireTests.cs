using System.Net;
using Azure.Core;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage.Tables;

namespace Feedback.IntegrationTests.Storage;

/// <summary>What goes over the wire: property types, key escaping, authentication, client-side validation.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableClientWireTests(AzuriteFixture azurite) : TableTestBase(azurite)
{
    private static readonly DateTimeOffset When = new(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static TableEntity EveryType(string rowKey) => new("p", rowKey)
    {
        ["Int"] = -7,
        ["Long"] = long.MaxValue,
        ["SmallLong"] = 5L,
        ["Double"] = 1.25,
        ["WholeDouble"] = 5.0,
        ["NaN"] = double.NaN,
        ["PosInf"] = double.PositiveInfinity,
        ["NegInf"] = double.NegativeInfinity,
        ["Bool"] = true,
        ["When"] = When.AddTicks(1234567),
        ["Id"] = Id,
        ["Bytes"] = new byte[] { 0, 1, 254, 255 },
        ["Text"] = "héllo 'wörld' 🎉",
    };

    private static void AssertEveryType(TableEntity e)
    {
        Assert.Equal(-7, Assert.IsType<int>(e["Int"]));
        Assert.Equal(long.MaxValue, Assert.IsType<long>(e["Long"]));
        Assert.Equal(5L, Assert.IsType<long>(e["SmallLong"]));
        Assert.Equal(1.25, Assert.IsType<double>(e["Double"]));
        Assert.Equal(5.0, Assert.IsType<double>(e["WholeDouble"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(e["NaN"])));
        Assert.Equal(double.PositiveInfinity, Assert.IsType<double>(e["PosInf"]));
        Assert.Equal(double.NegativeInfinity, Assert.IsType<double>(e["NegInf"]));
        Assert.True(Assert.IsType<bool>(e["Bool"]));
        var when = Assert.IsType<DateTimeOffset>(e["When"]);
        Assert.Equal(When.AddTicks(1234567), when);
        Assert.Equal(TimeSpan.Zero, when.Offset);
        Assert.Equal(Id, Assert.IsType<Guid>(e["Id"]));
        Assert.Equal([0, 1, 254, 255], Assert.IsType<byte[]>(e["Bytes"]));
        Assert.Equal("héllo 'wörld' 🎉", Assert.IsType<string>(e["Text"]));
    }

    [Fact]
    public async Task EveryPropertyType_RoundTripsWithItsExactType_ThroughGetQueryAndTransaction()
    {
        await Table.AddEntityAsync(EveryType("single"));
        await Table.SubmitTransactionAsync([new(TableTransactionActionType.Add, EveryType("batched"))]);

        AssertEveryType(await Table.GetEntityAsync("p", "single"));
        var queried = await AllAsync();
        Assert.Equal(2, queried.Count);
        Assert.All(queried, AssertEveryType);
    }

    [Fact]
    public async Task TypedFilters_MatchTheirProperties()
    {
        await Table.AddEntityAsync(EveryType("match"));
        await Table.AddEntityAsync(new TableEntity("p", "other") { ["Int"] = 1, ["Long"] = 1L, ["WholeDouble"] = 1.0, ["Bool"] = false, ["Id"] = Guid.Empty, ["When"] = When.AddYears(-1) });

        async Task<string> Single(FormattableString filter) => Assert.Single(await AllAsync(TableFilter.Create(filter))).RowKey;

        Assert.Equal("match", await Single($"Int eq {-7}"));
        Assert.Equal("match", await Single($"Long eq {long.MaxValue}"));
        Assert.Equal("match", await Single($"WholeDouble eq {5.0}"));
        Assert.Equal("match", await Single($"Bool eq {true}"));
        Assert.Equal("match", await Single($"Id eq {Id}"));
        Assert.Equal("match", await Single($"When gt {When}"));
        Assert.Equal("match", await Single($"Text eq {"héllo 'wörld' 🎉"}"));
    }

    public static TheoryData<string> AwkwardKeys => new()
    {
        "with space",
        "it's",
        "''",
        "ünïcødé-日本-🎉",
        "100%",
        "%41",
        "a+b",
        "a&b=c",
        "(paren),comma",
        "$dollar;semi:colon@at",
        "~!*",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task AwkwardKeys_RoundTripThroughEveryOperation(string key)
    {
        var etag = await Table.AddEntityAsync(new TableEntity(key, key) { ["A"] = 1 });
        Assert.Equal(key, (await Table.GetEntityAsync(key, key)).RowKey);

        etag = await Table.UpdateEntityAsync(new TableEntity(key, key) { ["A"] = 2 }, etag);
        await Table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.UpdateMerge, new TableEntity(key, key) { ["A"] = 3 }, etag),
            new(TableTransactionActionType.Add, new TableEntity(key, key + "2")),
        ]);

        var found = Assert.Single(await AllAsync(TableFilter.Create($"PartitionKey eq {key} and RowKey eq {key}")));
        Assert.Equal(key, found.PartitionKey);
        Assert.Equal(3, found.GetInt32("A"));

        await Table.SubmitTransactionAsync([new(TableTransactionActionType.Delete, new TableEntity(key, key + "2"))]);
        await Table.DeleteEntityAsync(key, key, found.ETag);
        Assert.Empty(await AllAsync());
    }

    [Fact]
    public async Task TokenCredential_SendsBearerToken()
    {
        var recorder = new RecordingHandler(HttpStatusCode.NoContent);
        var table = new TableClient(new Uri("https://acct.table.core.windows.net"), "feedback", new FixedToken("tok-123"), recorder.Options());

        await table.DeleteEntityAsync("p", "r");

        var request = Assert.Single(recorder.Requests);
        Assert.Equal("Bearer tok-123", request.Headers.Authorization?.ToString());
        Assert.Equal("https://acct.table.core.windows.net/feedback(PartitionKey='p',RowKey='r')", request.RequestUri!.AbsoluteUri);
        Assert.True(string.CompareOrdinal(request.Headers.GetValues("x-ms-version").Single(), "2017-11-09") >= 0);
    }

    [Fact]
    public async Task SharedKey_SignsWithSharedKeyLite()
    {
        var recorder = new RecordingHandler();
        var table = NewClient(Table.Name, recorder.Options());

        await table.AddEntityAsync(new TableEntity("p", "r"));

        var request = Assert.Single(recorder.Requests);
        Assert.StartsWith("SharedKeyLite devstoreaccount1:", request.Headers.Authorization?.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/json;odata=minimalmetadata", request.Headers.Accept.ToString());
        Assert.Equal("3.0", request.Headers.GetValues("DataServiceVersion").Single());
        Assert.Equal("return-no-content", request.Headers.GetValues("Prefer").Single());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\t")]
    [InlineData("c1\u0085")]
    public async Task InvalidKey_IsRejectedBeforeSending(string key)
    {
        var recorder = new RecordingHandler();
        var table = NewClient(Table.Name, recorder.Options());

        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync(key, "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("p", key));

        Assert.Empty(recorder.Requests);
    }

    private sealed class FixedToken(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
