using System.Text.RegularExpressions;

namespace Feedback.Storage.Tables;

/// <summary>The service's naming and size rules, checked before a request is sent.</summary>
internal static partial class TableValidation
{
    public const int MaxKeyLength = 1024;
    public const int MaxPropertyNameLength = 255;
    public const int MaxCustomProperties = 252;
    public const int MaxStringLength = 32 * 1024;
    public const int MaxBinaryLength = 64 * 1024;

    public static void TableName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TableNamePattern().IsMatch(name) || name.Equals("tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Table name '{name}' is invalid: use 3-63 letters and digits starting with a letter (\"tables\" is reserved).",
                nameof(name));
        }
    }

    public static void Key(string? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }

        if (value.Length > MaxKeyLength)
        {
            throw new ArgumentException($"{paramName} is {value.Length} characters long; the limit is {MaxKeyLength}.", paramName);
        }

        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                throw new ArgumentException(
                    $"{paramName} contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}'; keys may not contain / \\ # ? or control characters.",
                    paramName);
            }
        }
    }

    /// <summary>PartitionKey and RowKey are present, strings, and valid.</summary>
    public static void Keys(TableEntity entity, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entity, paramName);
        Key(entity.TryGetValue(TableEntity.PartitionKeyName, out var pk) ? pk as string : null, TableEntity.PartitionKeyName);
        Key(entity.TryGetValue(TableEntity.RowKeyName, out var rk) ? rk as string : null, TableEntity.RowKeyName);
    }

    public static void Entity(TableEntity entity, string paramName)
    {
        Keys(entity, paramName);

        var custom = 0;
        foreach (var (name, value) in entity)
        {
            if (name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName || value is null)
            {
                continue;
            }

            PropertyName(name, paramName);
            Value(name, value, paramName);
            custom++;
        }

        if (custom > MaxCustomProperties)
        {
            throw new ArgumentException($"The entity has {custom} properties; the limit is {MaxCustomProperties} besides PartitionKey, RowKey and Timestamp.", paramName);
        }
    }

    public const int MaxTransactionActions = 100;

    /// <summary>1-100 valid actions on one partition, each entity at most once.</summary>
    public static void Transaction(IReadOnlyList<TableTransactionAction> actions, string paramName)
    {
        if (actions.Count is 0 or > MaxTransactionActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxTransactionActions} actions; this one has {actions.Count}.", paramName);
        }

        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new ArgumentException($"Action {i} is null.", paramName);
            if (action.ActionType == TableTransactionActionType.Delete)
            {
                Keys(action.Entity, paramName);
            }
            else
            {
                Entity(action.Entity, paramName);
            }

            if (!Enum.IsDefined(action.ActionType))
            {
                throw new ArgumentException($"Action {i} has an unknown type {action.ActionType}.", paramName);
            }

            if (action.Entity.PartitionKey != actions[0].Entity.PartitionKey)
            {
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey; action {i} has '{action.Entity.PartitionKey}', action 0 '{actions[0].Entity.PartitionKey}'.",
                    paramName);
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"RowKey '{action.Entity.RowKey}' appears more than once; a transaction may touch each entity once.", paramName);
            }
        }
    }

    public static void PropertyName(string name, string paramName)
    {
        if (name.Length > MaxPropertyNameLength || !PropertyNamePattern().IsMatch(name))
        {
            throw new ArgumentException(
                $"Property name '{name}' is invalid: use a C#-style identifier of at most {MaxPropertyNameLength} characters.", paramName);
        }
    }

    private static void Value(string name, object value, string paramName)
    {
        switch (value)
        {
            case string s when s.Length > MaxStringLength:
                throw new ArgumentException($"Property '{name}' is {s.Length} characters long; the limit is {MaxStringLength}.", paramName);
            case byte[] b when b.Length > MaxBinaryLength:
                throw new ArgumentException($"Property '{name}' is {b.Length} bytes long; the limit is {MaxBinaryLength}.", paramName);
            case string or int or long or double or bool or DateTimeOffset or DateTime or Guid or byte[]:
                return;
            default:
                throw new ArgumentException(
                    $"Property '{name}' has type {value.GetType().Name}; use string, int, long, double, bool, DateTimeOffset, DateTime, Guid or byte[].",
                    paramName);
        }
    }

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{2,62}\z")]
    private static partial Regex TableNamePattern();

    [GeneratedRegex(@"^[\p{L}_][\p{L}\p{Nd}_]*\z")]
    private static partial Regex PropertyNamePattern();
}
