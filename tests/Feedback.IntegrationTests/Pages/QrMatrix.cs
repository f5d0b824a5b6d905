using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.RegularExpressions;
using QRCoder;

namespace Feedback.IntegrationTests.Pages;

/// <summary>
/// Reads the module grid back out of a served QR image and finds the text it encodes among
/// candidates, by comparing with a reference encoding at every error-correction level. Independent
/// of the app's rendering settings, and exact: one wrong character changes the grid.
/// </summary>
public static partial class QrMatrix
{
    /// <summary>Dark modules of the SVG, including the quiet zone (one viewBox unit per module).</summary>
    public static bool[,] FromSvg(string svg)
    {
        var size = int.Parse(ViewBox().Match(svg).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var grid = new bool[size, size];
        foreach (Match run in Run().Matches(svg))
        {
            var (x, y, width) = (Int(run, 1), Int(run, 2), Int(run, 3));
            for (var i = 0; i < width; i++)
            {
                grid[y, x + i] = true;
            }
        }

        return grid;
    }

    /// <summary>
    /// Dark modules of a grey or palette PNG, including the quiet zone. The module size is measured:
    /// the finder pattern's corner is the first dark pixel, four modules in from each edge.
    /// </summary>
    public static bool[,] FromPng(byte[] png)
    {
        var (width, height, depth, colorType, palette, data) = ReadPng(png);
        Assert.Equal(width, height);
        var stride = (width * depth + 7) / 8;
        bool Dark(int x, int y)
        {
            var row = y * (stride + 1);
            Assert.Equal(0, data[row]); // filter "None"
            var bits = data[row + 1 + (x * depth / 8)] >> (8 - depth - (x * depth % 8)) & ((1 << depth) - 1);
            return (colorType == 3 ? palette[bits * 3] : bits * 255 / ((1 << depth) - 1)) < 128;
        }

        var corner = Enumerable.Range(0, width).First(d => Dark(d, d));
        Assert.Equal(0, corner % 4);
        var pixels = corner / 4;
        var modules = width / pixels;
        var grid = new bool[modules, modules];
        for (var y = 0; y < modules; y++)
        {
            for (var x = 0; x < modules; x++)
            {
                grid[y, x] = Dark(x * pixels + pixels / 2, y * pixels + pixels / 2);
            }
        }

        return grid;
    }

    /// <summary>True when the grid is exactly the QR code of <paramref name="text"/> at some error-correction level.</summary>
    public static bool Encodes(bool[,] grid, string text) =>
        new[] { QRCodeGenerator.ECCLevel.L, QRCodeGenerator.ECCLevel.M, QRCodeGenerator.ECCLevel.Q, QRCodeGenerator.ECCLevel.H }.Any(level =>
        {
            using var data = QRCodeGenerator.GenerateQrCode(text, level);
            var matrix = data.ModuleMatrix;
            if (matrix.Count != grid.GetLength(0))
            {
                return false;
            }

            for (var y = 0; y < matrix.Count; y++)
            {
                for (var x = 0; x < matrix.Count; x++)
                {
                    if (matrix[y][x] != grid[y, x])
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    private static (int Width, int Height, int Depth, int ColorType, byte[] Palette, byte[] Data) ReadPng(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0, depth = 0, colorType = 0;
        var palette = Array.Empty<byte>();
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var chunk = png.AsSpan(at + 8, length);
            switch (type)
            {
                case "IHDR":
                    (width, height, depth, colorType) = (BinaryPrimitives.ReadInt32BigEndian(chunk), BinaryPrimitives.ReadInt32BigEndian(chunk[4..]), chunk[8], chunk[9]);
                    break;
                case "PLTE":
                    palette = chunk.ToArray();
                    break;
                case "IDAT":
                    idat.Write(chunk);
                    break;
            }

            at += 12 + length;
        }

        Assert.Contains(colorType, new[] { 0, 3 });
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var data = new MemoryStream();
        inflater.CopyTo(data);
        return (width, height, depth, colorType, palette, data.ToArray());
    }

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("""viewBox="0 0 (\d+) \1""")]
    private static partial Regex ViewBox();

    [GeneratedRegex(@"M(\d+) (\d+)h(\d+)v1h-\3z")]
    private static partial Regex Run();
}
