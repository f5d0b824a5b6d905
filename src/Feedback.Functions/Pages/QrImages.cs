using QRCoder;

namespace Feedback.Functions.Pages;

/// <summary>QR codes of survey URLs. Error correction M survives a scuffed or partly covered print.</summary>
public static class QrImages
{
    public const QRCodeGenerator.ECCLevel ErrorCorrection = QRCodeGenerator.ECCLevel.M;

    /// <summary>An SVG that scales to its box (viewBox only), with the quiet zone scanners need.</summary>
    public static string Svg(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, ErrorCorrection);
        return new SvgQRCode(data).GetGraphic(8, "#000000", "#ffffff", drawQuietZones: true, SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>A black-and-white PNG, 10 pixels per module: about 4 cm wide at 300 dpi.</summary>
    public static byte[] Png(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, ErrorCorrection);
        return new PngByteQRCode(data).GetGraphic(10);
    }
}
