using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;

namespace Feedback.Functions.Privacy;

/// <summary>
/// Every place the app keeps a customer's contact details, found, exported or erased in one sweep:
/// answers and cases (columns <c>ContactEmail</c>, <c>ContactPhone</c>), webhook deliveries and dead
/// letters (inside their payload), and answers and follow-ups waiting in the poison queues. The
/// records stay; only the contact goes. Messages still on their way are caught by
/// <see cref="ErasedContacts"/> where they are stored.
/// </summary>
public sealed class PersonalData(StorageAccount storage, ErasedContacts erased)
{
    private const int MaxQueueSweep = 5000;

    private static readonly string[] ContactColumns = ["ContactEmail", "ContactPhone"];

    private static readonly string[] ColumnTables = [TableNames.Feedback, TableNames.Cases];

    private static readonly string[] PayloadTables = [TableNames.WebhookDeliveries, TableNames.WebhookDeadLetters];

    private static readonly string[] Queues = [QueueNames.FeedbackSubmitted + "-poison", QueueNames.FollowUpRequested + "-poison"];

    /// <summary>Removes the contact everywhere; idempotent. Returns the number of records changed.</summary>
    public async Task<int> EraseAsync(Contact target, CancellationToken cancellationToken)
    {
        // First, so an answer processed while the sweep runs is stored without the contact.
        await erased.AddAsync(target, cancellationToken);
        var changed = 0;
        await foreach (var (table, row, scrubbed) in FindAsync(target, cancellationToken))
        {
            try
            {
                await storage.Table(table).UpdateEntityAsync(scrubbed, row.ETag, TableUpdateMode.Replace, cancellationToken);
                changed++;
            }
            catch (Azure.RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Changed or deleted meanwhile: the next erase of the same contact finds it again, or it is gone.
            }
        }

        return changed + await SweepQueuesAsync(target, erase: true, _ => { }, cancellationToken);
    }

    /// <summary>Everything held about the contact, record by record.</summary>
    public async Task<JsonObject> ExportAsync(Contact target, CancellationToken cancellationToken)
    {
        var tables = new JsonObject();
        await foreach (var (table, row, _) in FindAsync(target, cancellationToken))
        {
            if (tables[table] is not JsonArray list)
            {
                tables[table] = list = [];
            }

            var record = new JsonObject();
            foreach (var (name, value) in row.Where(c => c.Key != "odata.etag"))
            {
                record[name] = name == "Payload" && value is string payload ? JsonNode.Parse(payload) : System.Text.Json.JsonSerializer.SerializeToNode(value);
            }

            list.Add(record);
        }

        var queued = new JsonArray();
        await SweepQueuesAsync(target, erase: false, text => queued.Add(JsonNode.Parse(text)), cancellationToken);
        return new JsonObject { ["tables"] = tables, ["queued"] = queued };
    }

    /// <summary>Every stored record holding the contact, with the replacement that drops it.</summary>
    private async IAsyncEnumerable<(string Table, TableEntity Row, TableEntity Scrubbed)> FindAsync(
        Contact target, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Only rows that hold any contact: a missing property never compares true, so counters and other rows are not read.
        var withContact = TableClient.CreateQueryFilter($"ContactEmail ge {""} or ContactPhone ge {""}");
        foreach (var table in ColumnTables)
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(withContact, cancellationToken: cancellationToken))
            {
                var (email, phone) = ErasedContacts.Matches(target, row.GetString("ContactEmail"), row.GetString("ContactPhone"));
                if (email || phone)
                {
                    var scrubbed = Copy(row);
                    if (email)
                    {
                        scrubbed.Remove("ContactEmail");
                    }

                    if (phone)
                    {
                        scrubbed.Remove("ContactPhone");
                    }

                    yield return (table, row, scrubbed);
                }
            }
        }

        foreach (var table in PayloadTables)
        {
            await foreach (var row in storage.Table(table).QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                if (row.GetString("Payload") is { } payload && ErasedContacts.Scrub(payload, target) is { } clean)
                {
                    yield return (table, row, Copy(row, clean));
                }
            }
        }
    }

    /// <summary>
    /// Reads each poison queue once (messages stay invisible until the sweep ends, so none is read twice),
    /// rewrites the messages holding the contact when erasing, and makes every message visible again.
    /// </summary>
    private async Task<int> SweepQueuesAsync(Contact target, bool erase, Action<string> found, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var name in Queues)
        {
            var queue = storage.Queue(name);
            var held = new List<(string Id, string PopReceipt)>();
            try
            {
                while (held.Count < MaxQueueSweep)
                {
                    var batch = await ReceiveAsync(queue, cancellationToken);
                    if (batch.Length == 0)
                    {
                        break;
                    }

                    foreach (var message in batch)
                    {
                        var text = message.Body.ToString();
                        if (ErasedContacts.Scrub(text, target) is { } clean)
                        {
                            found(text);
                            if (erase)
                            {
                                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, clean, TimeSpan.Zero, cancellationToken);
                                changed++;
                                continue;
                            }
                        }

                        held.Add((message.MessageId, message.PopReceipt));
                    }
                }
            }
            finally
            {
                foreach (var (id, receipt) in held)
                {
                    await queue.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
                }
            }
        }

        return changed;
    }

    /// <summary>A batch kept invisible for the sweep; none when the queue was never created (nothing was ever poisoned).</summary>
    private static async Task<Azure.Storage.Queues.Models.QueueMessage[]> ReceiveAsync(Azure.Storage.Queues.QueueClient queue, CancellationToken cancellationToken)
    {
        try
        {
            return (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(2), cancellationToken)).Value;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    /// <summary>
    /// Retention of the copies beside the answers: contacts leave cases and webhook payloads after
    /// <paramref name="contactCutoff"/>; webhook deliveries and dead letters go after <paramref name="webhookCutoff"/>;
    /// cases after <paramref name="caseCutoff"/>. Returns the number of records changed or deleted.
    /// </summary>
    public async Task<int> ApplyRetentionAsync(DateTimeOffset contactCutoff, DateTimeOffset caseCutoff, DateTimeOffset webhookCutoff, CancellationToken cancellationToken)
    {
        var count = 0;
        var cases = storage.Table(TableNames.Cases);
        await foreach (var row in cases.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CreatedAt lt {contactCutoff}"), cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("CreatedAt") < caseCutoff)
            {
                await cases.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                count++;
            }
            else if (ContactColumns.Any(row.ContainsKey))
            {
                var scrubbed = Copy(row);
                Array.ForEach(ContactColumns, c => scrubbed.Remove(c));
                await cases.UpdateEntityAsync(scrubbed, row.ETag, TableUpdateMode.Replace, cancellationToken);
                count++;
            }
        }

        (string Table, string Column, string Filter)[] webhooks =
        [
            (TableNames.WebhookDeliveries, "CreatedAt", TableClient.CreateQueryFilter($"CreatedAt lt {contactCutoff}")),
            (TableNames.WebhookDeadLetters, "DeadLetteredAt", TableClient.CreateQueryFilter($"DeadLetteredAt lt {contactCutoff}")),
        ];
        foreach (var (table, column, filter) in webhooks)
        {
            var client = storage.Table(table);
            await foreach (var row in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (row.GetDateTimeOffset(column) < webhookCutoff)
                {
                    await client.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
                    count++;
                }
                else if (row.GetString("Payload") is { } payload && ErasedContacts.Scrub(payload, null) is { } clean)
                {
                    await client.UpdateEntityAsync(Copy(row, clean), row.ETag, TableUpdateMode.Replace, cancellationToken);
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>A row's columns without the service's own (ETag, Timestamp), for a replace; optionally with a new payload.</summary>
    private static TableEntity Copy(TableEntity row, string? payload = null)
    {
        var copy = new TableEntity(row.PartitionKey, row.RowKey);
        foreach (var (name, value) in row.Where(c => c.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")))
        {
            copy[name] = value;
        }

        if (payload is not null)
        {
            copy["Payload"] = payload;
        }

        return copy;
    }
}
