using System.Net.Mail;
using System.Text.RegularExpressions;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;

namespace Feedback.Functions.Capture;

/// <summary>The field rules of an answer, checked at the edge; inner code assumes a valid answer.</summary>
public static partial class FeedbackValidation
{
    public static readonly TimeSpan MaxPast = TimeSpan.FromDays(7);
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);

    public static Validator Validate(FeedbackRequest r, bool fromDevice, DateTimeOffset now)
    {
        var v = new Validator()
            .Check(r.Id is null || Ids.IsAnswerId(r.Id), "id", "8–64 characters of A–Z, a–z, 0–9, '_' and '-'.")
            .Check(NpsScore.IsValid(r.Score), "score", "Required: a whole number from 0 to 10.")
            .Check(r.Csat is null or (>= 1 and <= 5), "csat", "A whole number from 1 to 5.")
            .Check(r.Ces is null or (>= 1 and <= 7), "ces", "A whole number from 1 to 7.")
            .Check(r.Reasons is null || (r.Reasons.Length <= 10 && r.Reasons.All(x => x is { Length: >= 1 and <= 40 })),
                "reasons", "At most 10 reasons of 1–40 characters.")
            .Check(r.Comment is null || r.Comment.Length <= 2000, "comment", "At most 2,000 characters.")
            .Check(r.Language is null || Ids.IsLanguage(r.Language), "language", "A language tag such as cs, sk, pl or en.")
            .Check(r.JourneyId is null || r.JourneyId.Length is >= 1 and <= 64, "journeyId", "At most 64 characters.")
            .Check(r.StaffId is null || r.StaffId.Length is >= 1 and <= 64, "staffId", "At most 64 characters.");

        if (fromDevice)
        {
            v.Check(r.Touchpoint is null || Touchpoints.TryParse(r.Touchpoint, out _), "touchpoint",
                "One of store, kiosk, web, app, callcenter, chatbot, delivery.");
            v.Check(r.SubmittedAt is null || (r.SubmittedAt >= now - MaxPast && r.SubmittedAt <= now + MaxFuture), "submittedAt",
                "An ISO 8601 time from 7 days ago to 5 minutes ahead.");
            v.Check(r.Day is null, "day", "Only survey pages send the day they were opened on; a device sends submittedAt.");
        }
        else
        {
            v.Check(!string.IsNullOrEmpty(r.Token), "token", "Required without a device key: the token from the QR code.");
            v.Check(r.Touchpoint is null, "touchpoint", "Comes from the token; leave it out.");
            v.Check(r.SubmittedAt is null, "submittedAt", "Only devices may send answers made offline.");
            v.Check(r.Day is null || StoreDay.TryParseDate(r.Day, out _), "day", "The day the survey page gives, as yyyy-MM-dd.");
        }

        if (r.Contact is { } c)
        {
            CheckContact(v, c.Email, c.Phone, "contact.");
        }

        return v;
    }

    /// <summary>The rules of a customer's contact details, wherever they are given (fields <c>{prefix}email</c>, <c>{prefix}phone</c>).</summary>
    public static Validator CheckContact(Validator v, string? email, string? phone, string prefix = "") => v
        .Check(email is null || (email.Length <= 254 && MailAddress.TryCreate(email, out var mail) && mail.Address == email),
            prefix + "email", "A plain e-mail address such as ana@example.com.")
        .Check(phone is null || (PhonePattern().IsMatch(phone) && phone.Count(char.IsAsciiDigit) is >= 6 and <= 15),
            prefix + "phone", "A phone number of 6–15 digits, optionally starting with + and grouped by spaces.");

    [GeneratedRegex(@"^\+?[0-9 ]{6,20}$")]
    private static partial Regex PhonePattern();
}
