using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Pages;

/// <summary>
/// The kiosk's service worker, so a kiosk starts with no network (after a reload or a reboot). It is
/// served from the site root, so its scope can be <c>/kiosk</c>; the script itself is wwwroot/kiosk-sw.js
/// with the versioned URLs of the page's files put in front, so every new build installs a new worker.
/// </summary>
public static class KioskWorkerEndpoints
{
    public const string Route = "/kiosk-sw.js";

    public static IEndpointRouteBuilder MapKioskWorker(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, Worker).WithName("KioskServiceWorker").WithPageHeaders().ExcludeFromDescription();
        return app;
    }

    public static FileContentHttpResult Worker(HttpContext context, KioskWorkerScript script)
    {
        // Browsers check for a new worker on navigation; it must never come from an HTTP cache.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(script.Body, "text/javascript; charset=utf-8");
    }
}

/// <summary>The worker script, built once: the files to keep for offline starts, a version naming them, and the worker's code.</summary>
public sealed class KioskWorkerScript
{
    private static readonly string[] Files = ["pages.css", "common.js", "kiosk.js"];

    public KioskWorkerScript(PageAssets assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        string[] files = ["/kiosk", .. Files.Concat(PageTexts.Languages.Select(PageTexts.I18nPath)).Select(assets.Url)];
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', files.Append(assets.Get("kiosk-sw.js").Version)))), 0, 8);
        var head = $"const VERSION = {JsonSerializer.Serialize(version)};\nconst PRECACHE = {JsonSerializer.Serialize(files)};\n";
        Body = [.. Encoding.UTF8.GetBytes(head), .. assets.Get("kiosk-sw.js").Body];
        Version = version;
    }

    public byte[] Body { get; }

    public string Version { get; }
}

public static class KioskWorkerServices
{
    public static IServiceCollection AddKioskWorker(this IServiceCollection services) => services.AddSingleton<KioskWorkerScript>();
}
