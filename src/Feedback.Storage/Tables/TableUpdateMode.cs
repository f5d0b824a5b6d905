namespace Feedback.Storage.Tables;

/// <summary>Merge keeps properties the update does not mention; Replace removes them.</summary>
public enum TableUpdateMode
{
    Merge,
    Replace,
}
