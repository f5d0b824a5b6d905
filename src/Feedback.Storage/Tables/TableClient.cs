using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Feedback.Storage.Pipeline;

namespace Feedback.Storage.Tables;

/// <summary>
/// One table of a storage account (or Azurite): create, entity CRUD with optimistic concurrency,
/// queries with continuation, and entity group transactions. Mirrors Azure.Data.Tables' TableClient.
/// </summary>
public sealed class TableClient
{
    private const string Accept = "application/json;odata=minimalmetadata";
    private const int MaxPageSize = 1000;
    private const int MaxTransactionBytes = 4 * 1024 * 1024;
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUri;
    private readonly string _tableUri;

    public TableClient(string connectionString, string tableName, StorageClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), tableName, options)
    {
    }

    public TableClient(Uri tableServiceUri, string tableName, TokenCredential credential, StorageClientOptions? options = null)
        : this(tableServiceUri, tableName, StoragePipeline.Authentication(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    public TableClient(Uri tableServiceUri, string tableName, StorageSharedKeyCredential credential, StorageClientOptions? options = null)
        : this(tableServiceUri, tableName, new TableSharedKeyLitePolicy(credential ?? throw new ArgumentNullException(nameof(credential))), options)
    {
    }

    private TableClient(StorageConnectionString connection, string tableName, StorageClientOptions? options)
        : this(connection.TableEndpoint, tableName, connection.Credential ?? throw new FormatException("The connection string has no account key."), options)
    {
    }

    private TableClient(Uri tableServiceUri, string tableName, HttpPipelinePolicy authentication, StorageClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        TableValidation.TableName(tableName);
        Name = tableName;
        _serviceUri = tableServiceUri.AbsoluteUri.TrimEnd('/');
        _tableUri = _serviceUri + "/" + tableName;
        _pipeline = StoragePipeline.Build(options ?? new StorageClientOptions(), authentication);
    }

    public string Name { get; }

    /// <returns>True when this call created the table.</returns>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _serviceUri + "/Tables", Encoding.UTF8.GetBytes($$"""{"TableName":"{{Name}}"}"""));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        var response = await SendAsync(message, cancellationToken);
        if (!response.IsError)
        {
            return true;
        }

        var error = StorageErrors.Create(response);
        return error.Status == 409 && error.ErrorCode == "TableAlreadyExists" ? false : throw error;
    }

    /// <summary>Deletes the table; a missing table is not an error.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"{_serviceUri}/Tables('{Name}')");
        var response = await SendAsync(message, cancellationToken);
        if (response.IsError && response.Status != 404)
        {
            throw StorageErrors.Create(response);
        }
    }

    /// <exception cref="RequestFailedException">404 ResourceNotFound when the entity does not exist.</exception>
    public async Task<TableEntity> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        (await GetEntityCoreAsync(partitionKey, rowKey, select, missingIsNull: false, cancellationToken))!;

    /// <returns>The entity, or null when the table has no such entity.</returns>
    public Task<TableEntity?> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        GetEntityCoreAsync(partitionKey, rowKey, select, missingIsNull: true, cancellationToken);

    /// <exception cref="RequestFailedException">409 EntityAlreadyExists.</exception>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity, nameof(entity));
        using var message = CreateMessage(RequestMethod.Post, _tableUri, TableEntitySerializer.Serialize(entity));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        return await WriteAsync(message, cancellationToken);
    }

    /// <summary>Updates an existing entity if its ETag still matches <paramref name="ifMatch"/> (<see cref="ETag.All"/> for any).</summary>
    /// <exception cref="RequestFailedException">412 UpdateConditionNotSatisfied on a stale ETag; 404 when the entity is missing.</exception>
    public async Task<ETag> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity, nameof(entity));
        if (ifMatch == default)
        {
            // Without If-Match the service would insert a missing entity: that is an upsert, not an update.
            throw new ArgumentException("ifMatch is required: pass the entity's ETag, or ETag.All to update unconditionally.", nameof(ifMatch));
        }

        using var message = CreateEntityWrite(entity, mode);
        message.Request.Headers.SetValue("If-Match", ifMatch.ToString());
        return await WriteAsync(message, cancellationToken);
    }

    /// <summary>Inserts the entity, or merges into / replaces the existing one.</summary>
    public async Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        TableValidation.Entity(entity, nameof(entity));
        using var message = CreateEntityWrite(entity, mode);
        return await WriteAsync(message, cancellationToken);
    }

    /// <summary>
    /// Deletes the entity if its ETag matches; the default is unconditional, and then a missing entity is not an error.
    /// </summary>
    /// <exception cref="RequestFailedException">412 on a stale ETag; 404 when a specific ETag was given and the entity is missing.</exception>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableValidation.Key(partitionKey, nameof(partitionKey));
        TableValidation.Key(rowKey, nameof(rowKey));
        var unconditional = ifMatch == default || ifMatch == ETag.All;
        using var message = CreateMessage(RequestMethod.Delete, _tableUri + TableUris.EntityKeys(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", unconditional ? "*" : ifMatch.ToString());
        var response = await SendAsync(message, cancellationToken);
        if (response.IsError)
        {
            var error = StorageErrors.Create(response);
            if (!(unconditional && error.Status == 404 && error.ErrorCode == "ResourceNotFound"))
            {
                throw error;
            }
        }
    }

    /// <summary>
    /// Entities matching <paramref name="filter"/> (build it with <see cref="TableFilter.Create"/>), fetched
    /// <paramref name="maxPerPage"/> (at most 1,000) at a time. A page's ContinuationToken resumes the query.
    /// </summary>
    public AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        ValidatePageSize(maxPerPage);
        var columns = Columns(select);
        return new TablePageable<TableEntity>(
            (continuation, pageSizeHint, ct) => QueryPageAsync(filter, pageSizeHint ?? maxPerPage, columns, continuation, ct),
            cancellationToken);
    }

    /// <summary>
    /// Runs up to 100 actions on one partition atomically. Returns each action's new ETag in order
    /// (default for a delete).
    /// </summary>
    /// <exception cref="TableTransactionFailedException">An action failed; nothing was written.</exception>
    public async Task<IReadOnlyList<ETag>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        TableValidation.Transaction(list, nameof(actions));
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var body = Encoding.UTF8.GetBytes(TableTransactionBody.Build(_tableUri, list, batch, "changeset_" + Guid.NewGuid().ToString("N")));
        if (body.Length > MaxTransactionBytes)
        {
            throw new ArgumentException($"The transaction is {body.Length} bytes; the limit is {MaxTransactionBytes}.", nameof(actions));
        }

        using var message = CreateMessage(RequestMethod.Post, _serviceUri + "/$batch", body);
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + batch);
        var response = await SendAsync(message, cancellationToken);
        if (response.IsError)
        {
            throw StorageErrors.Create(response);
        }

        var parts = TableTransactionResponse.Parse(response.Headers.ContentType ?? "", response.Content.ToString());
        return TableTransactionResponse.Evaluate(parts, list.Count);
    }

    private async Task<TableEntity?> GetEntityCoreAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select, bool missingIsNull, CancellationToken cancellationToken)
    {
        TableValidation.Key(partitionKey, nameof(partitionKey));
        TableValidation.Key(rowKey, nameof(rowKey));
        var uri = TableUris.WithQuery(_tableUri + TableUris.EntityKeys(partitionKey, rowKey), ("$select", Columns(select)));
        using var message = CreateMessage(RequestMethod.Get, uri);
        var response = await SendAsync(message, cancellationToken);
        if (response.IsError)
        {
            var error = StorageErrors.Create(response);
            return missingIsNull && error.Status == 404 && error.ErrorCode == "ResourceNotFound" ? null : throw error;
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntitySerializer.Read(json.RootElement);
    }

    private async Task<Page<TableEntity>> QueryPageAsync(
        string? filter, int? top, string? select, string? continuation, CancellationToken cancellationToken)
    {
        ValidatePageSize(top);
        var (nextPartitionKey, nextRowKey) = TableContinuation.Decode(continuation);
        var uri = TableUris.WithQuery(
            _tableUri + "()",
            ("$filter", filter),
            ("$select", select),
            ("$top", top?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NextPartitionKey", nextPartitionKey),
            ("NextRowKey", nextRowKey));
        using var message = CreateMessage(RequestMethod.Get, uri);
        var response = await SendAsync(message, cancellationToken);
        if (response.IsError)
        {
            throw StorageErrors.Create(response);
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(TableEntitySerializer.Read).ToList();
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow);
        return Page<TableEntity>.FromValues(entities, TableContinuation.Encode(nextPartition, nextRow), response);
    }

    private HttpMessage CreateEntityWrite(TableEntity entity, TableUpdateMode mode) => CreateMessage(
        mode == TableUpdateMode.Replace ? RequestMethod.Put : Merge,
        _tableUri + TableUris.EntityKeys(entity.PartitionKey, entity.RowKey),
        TableEntitySerializer.Serialize(entity));

    private async Task<ETag> WriteAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, cancellationToken);
        return response.IsError ? throw StorageErrors.Create(response) : response.Headers.ETag ?? default;
    }

    private HttpMessage CreateMessage(RequestMethod method, string uri, byte[]? content = null)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(uri));
        request.Headers.SetValue("Accept", Accept);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (content is not null)
        {
            request.Headers.SetValue("Content-Type", "application/json");
            request.Content = RequestContent.Create(content);
        }

        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken);
        return message.Response;
    }

    private static string? Columns(IEnumerable<string>? select)
    {
        if (select is null)
        {
            return null;
        }

        var names = select.ToList();
        foreach (var name in names)
        {
            if (name is not (TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName))
            {
                TableValidation.PropertyName(name, nameof(select));
            }
        }

        return names.Count == 0 ? null : string.Join(',', names);
    }

    private static void ValidatePageSize(int? maxPerPage)
    {
        if (maxPerPage is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, $"A page holds 1 to {MaxPageSize} entities.");
        }
    }
}
