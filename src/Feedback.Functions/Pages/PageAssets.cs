using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;

namespace Feedback.Functions.Pages;

/// <summary>One static file of the pages, held in memory with its compressed forms and a content hash.</summary>
public sealed record PageAsset(string Path, string ContentType, byte[] Body, byte[] Gzip, byte[] Brotli, string Version)
{
    public string ETag => "\"" + Version + "\"";

    /// <summary>The smallest form the client accepts, and its Content-Encoding (null for identity).</summary>
    public (byte[] Body, string? Encoding) For(string acceptEncoding) =>
        Accepts(acceptEncoding, "br") && Brotli.Length < Body.Length ? (Brotli, "br")
        : Accepts(acceptEncoding, "gzip") && Gzip.Length < Body.Length ? (Gzip, "gzip")
        : (Body, null);

    private static bool Accepts(string acceptEncoding, string coding) =>
        acceptEncoding.Split(',').Select(p => p.Trim()).Any(p =>
            p.Equals(coding, StringComparison.OrdinalIgnoreCase) ||
            (p.StartsWith(coding + ";", StringComparison.OrdinalIgnoreCase) && !p.Replace(" ", "", StringComparison.Ordinal).EndsWith("q=0", StringComparison.Ordinal)));
}

/// <summary>
/// The pages' static files. They are embedded in the assembly (wwwroot/**), so the same bytes are
/// served from the build output, the publish folder and tests alike, with no content root to find.
/// Each is loaded once; its hash versions its URL so browsers may cache it for a year.
/// </summary>
public sealed class PageAssets
{
    private const string Prefix = "wwwroot/";
    private readonly Dictionary<string, PageAsset> _assets = new(StringComparer.Ordinal);

    public PageAssets()
        : this(typeof(PageAssets).Assembly)
    {
    }

    public PageAssets(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var types = new FileExtensionContentTypeProvider();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !types.TryGetContentType(path, out var contentType))
            {
                continue;
            }

            path = path[Prefix.Length..];
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType == "application/json")
            {
                contentType += "; charset=utf-8";
            }

            var version = Convert.ToHexStringLower(SHA256.HashData(body), 0, 8);
            _assets[path] = new PageAsset(path, contentType, body, Compress(body, s => new GZipStream(s, CompressionLevel.SmallestSize)),
                Compress(body, s => new BrotliStream(s, CompressionLevel.SmallestSize)), version);
        }
    }

    public IEnumerable<PageAsset> All => _assets.Values;

    public PageAsset? Find(string path) => _assets.GetValueOrDefault(path);

    public PageAsset Get(string path) => Find(path) ?? throw new InvalidOperationException($"The page asset '{path}' is not embedded.");

    /// <summary>The versioned URL of an asset, cacheable for a year.</summary>
    public string Url(string path) => "/assets/" + path + "?v=" + Get(path).Version;

    private static byte[] Compress(byte[] body, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(body);
        }

        return output.ToArray();
    }
}
