namespace Feedback.Functions.Segments;

/// <summary>The body of PUT /api/segments, and what GET answers: the chain's optional questions about the customer.</summary>
public sealed record SegmentsRequest(SegmentQuestion[]? Questions);

/// <summary>One question: a key (the name in an answer's <c>segments</c>), its title per page language, its options.</summary>
public sealed record SegmentQuestion(string? Key, Dictionary<string, string>? Title, SegmentOption[]? Options);

public sealed record SegmentOption(string? Value, Dictionary<string, string>? Title);

public sealed record SegmentsView(IReadOnlyList<SegmentQuestion> Questions, DateTimeOffset? UpdatedAt);
