namespace Feedback.Functions.Answers;

/// <summary>
/// The names of an answer's <see cref="Breakdown"/> counts, and the reason codes the pages offer (the texts in
/// wwwroot/i18n). Segment keys and values are validated identifiers (<c>Segments/SegmentRules.cs</c>), never dots.
/// </summary>
public static class BreakdownNames
{
    /// <summary>The reasons the survey and kiosk offer; other reason strings are stored with the answer but not counted.</summary>
    public static readonly IReadOnlyList<string> ReasonCodes = ["staff", "speed", "quality", "price", "cleanliness", "atmosphere"];

    /// <summary>Answers that chose this option: <c>s.{key}.{value}.{p|a|d}</c> by NPS category.</summary>
    public static string Segment(string key, string value, NpsCategory category) => $"s.{key}.{value}.{Letter(category)}";

    /// <summary>Answers that chose this reason: <c>r.{reason}.{p|a|d}</c>.</summary>
    public static string Reason(string reason, NpsCategory category) => $"r.{reason}.{Letter(category)}";

    /// <summary>Answers that chose at least one counted reason (the base of the reason shares): <c>rq.{p|a|d}</c>.</summary>
    public static string ReasonsAnswered(NpsCategory category) => $"rq.{Letter(category)}";

    /// <summary>Answers that are a step of a journey (they carry a journey id), counted under their touchpoint.</summary>
    public const string JourneySteps = "j.n";

    /// <summary>Journey steps scored 9–10.</summary>
    public const string JourneyStepsSatisfied = "j.s";

    /// <summary>Journeys (distinct journey ids in a store-day), from the journey rows of <see cref="StoreDayCounters"/>.</summary>
    public const string Journeys = "jj.n";

    /// <summary>Journeys with at least one step scored 0–8.</summary>
    public const string JourneysBroken = "jj.b";

    /// <summary>The breakdown one answer adds: its segment options, its counted reasons and, with a journey id, its step.</summary>
    public static Breakdown Of(FeedbackSubmitted answer)
    {
        var category = answer.Score.Category;
        var names = new List<string>();
        foreach (var (key, value) in answer.Segments ?? new Dictionary<string, string>())
        {
            names.Add(Segment(key, value, category));
        }

        var reasons = answer.Reasons.Where(ReasonCodes.Contains).ToList();
        names.AddRange(reasons.Select(r => Reason(r, category)));
        if (reasons.Count > 0)
        {
            names.Add(ReasonsAnswered(category));
        }

        if (answer.JourneyId is not null)
        {
            names.Add(JourneySteps);
            if (category == NpsCategory.Promoter)
            {
                names.Add(JourneyStepsSatisfied);
            }
        }

        return Breakdown.Of(names);
    }

    private static char Letter(NpsCategory category) => category switch
    {
        NpsCategory.Promoter => 'p',
        NpsCategory.Passive => 'a',
        _ => 'd',
    };
}
