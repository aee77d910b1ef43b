using SkiaSharp;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.Trajectories;

/// <summary>RGB images to and from PNG (lossless), for trajectory files.</summary>
public static class PngImages
{
    public static byte[] Encode(RgbImage image)
    {
        if (image.Width < 1 || image.Height < 1 || image.Pixels.Length != image.Width * image.Height * 3)
            throw new ArgumentException($"An RGB image of {image.Width} x {image.Height} needs {image.Width * image.Height * 3} bytes, not {image.Pixels.Length}.", nameof(image));
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i];
            rgba[j + 1] = image.Pixels[i + 1];
            rgba[j + 2] = image.Pixels[i + 2];
            rgba[j + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Decodes a PNG to RGB; throws <see cref="InvalidDataException"/> when it is not a readable image.</summary>
    public static RgbImage Decode(byte[] png)
    {
        using var stream = new SKMemoryStream(png);
        using SKCodec? codec = SKCodec.Create(stream);
        if (codec is null) throw new InvalidDataException("not a readable PNG image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using SKBitmap? bitmap = SKBitmap.Decode(codec, info);
        if (bitmap is null) throw new InvalidDataException("the PNG image data is damaged");
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int width = bitmap.Width, height = bitmap.Height, rowBytes = bitmap.RowBytes;
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int from = y * rowBytes + x * 4, to = (y * width + x) * 3;
                rgb[to] = rgba[from];
                rgb[to + 1] = rgba[from + 1];
                rgb[to + 2] = rgba[from + 2];
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
