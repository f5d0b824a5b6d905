namespace Feedback.Functions.Tokens;

/// <summary>
/// Returns the signing key for a store's key id, or null when there is none (never enrolled,
/// revoked). Keys are looked up per store so that one store's key cannot vouch for another store;
/// with a device id, the key is that device's own, so one till's key cannot vouch for another till.
/// </summary>
public delegate byte[]? QrKeyLookup(string storeId, string keyId, string? deviceId);
