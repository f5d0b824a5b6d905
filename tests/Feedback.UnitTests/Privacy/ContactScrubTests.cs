using System.Text.Json.Nodes;
using Feedback.Functions.Answers;

namespace Feedback.UnitTests.Privacy;

public sealed class ContactScrubTests
{
    private static readonly Contact Jana = new("Jana@Example.cz", "+420 601 234 567");

    [Fact]
    public void MatchingDetails_AreRemoved_AnyCaseOrSpacing_AndAContactLeftEmptyBecomesNull()
    {
        var json = """{"data":{"contact":{"email":"jana@example.cz","phone":"420601234567"},"comment":"ok"}}""";

        var scrubbed = JsonNode.Parse(ErasedContacts.Scrub(json, Jana)!)!;

        Assert.Null(scrubbed["data"]!["contact"]);
        Assert.Equal("ok", scrubbed["data"]!["comment"]!.GetValue<string>());
    }

    [Fact]
    public void OnlyTheMatchingDetail_Goes()
    {
        var json = """{"contact":{"email":"other@example.cz","phone":"+420 601 234 567"}}""";

        var contact = JsonNode.Parse(ErasedContacts.Scrub(json, Jana)!)!["contact"]!;

        Assert.Equal("other@example.cz", contact["email"]!.GetValue<string>());
        Assert.Null(contact["phone"]);
    }

    [Theory]
    [InlineData("""{"contact":{"email":"other@example.cz"}}""")]
    [InlineData("""{"contact":null}""")]
    [InlineData("""{"contact":{"email":5,"phone":["x"]}}""")]
    [InlineData("not json at all")]
    [InlineData("[1, {\"contact\": \"jana@example.cz\"}]")]
    public void TextWithoutTheContact_IsLeftAlone_WhateverItsShape(string text) => Assert.Null(ErasedContacts.Scrub(text, Jana));

    [Fact]
    public void WithoutATarget_EveryContactGoes()
    {
        var json = """[{"contact":{"email":"a@example.cz"}},{"contact":{"phone":"+421 900 111 222"}}]""";

        Assert.Equal("""[{"contact":null},{"contact":null}]""", ErasedContacts.Scrub(json, null));
    }
}
