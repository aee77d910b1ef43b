using Expert.DynamicMap.Shared;
using SkiaSharp;
using Steve2.Pipeline.Environment;

namespace Steve2.Pipeline.World;

/// <summary>PNG pictures for debugging and docs: an RGB image as is, and a top-down map of a world.</summary>
public static class WorldPictures
{
    /// <summary>Encodes an RGB image as PNG, each pixel drawn as a <paramref name="scale"/> x <paramref name="scale"/> square.</summary>
    public static byte[] EncodePng(RgbImage image, int scale = 1)
    {
        if (scale is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be in 1..16");
        int w = image.Width * scale, h = image.Height * scale;
        var rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int src = ((y / scale) * image.Width + x / scale) * 3, dst = (y * w + x) * 4;
            rgba[dst] = image.Pixels[src];
            rgba[dst + 1] = image.Pixels[src + 1];
            rgba[dst + 2] = image.Pixels[src + 2];
            rgba[dst + 3] = 255;
        }
        using var skImage = SKImage.FromPixelCopy(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba, w * 4);
        using var data = skImage.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes an RGB image (an observation) to a PNG file atomically (<see cref="AtomicFile"/>).</summary>
    public static void SavePng(RgbImage image, string path, int scale = 1) => AtomicFile.WriteBytes(path, EncodePng(image, scale));

    /// <summary>
    /// A top-down map: one pixel per column, north up (row 0 is the smallest z), the colour of the highest
    /// non-air block, lighter with height; water darker with depth; chests drawn red.
    /// </summary>
    public static RgbImage TopDown(VoxelWorld world)
    {
        int w = world.Options.SizeX, h = world.Options.SizeZ;
        var pixels = new byte[w * h * 3];
        int water = world.Options.WaterLevel;
        for (int z = world.MinZ; z <= world.MaxZ; z++)
        for (int x = world.MinX; x <= world.MaxX; x++)
        {
            int y = world.SurfaceHeight(x, z);
            int top = y;
            while (top < world.SizeY - 1 && world.Get(x, top + 1, z) != Block.Air) top++;
            var block = world.Get(x, top, z);
            var info = BlockTable.Get(block);
            double shade = 0.75 + 0.5 * (y - water) / Math.Max(1, world.SizeY - water);
            if (block == Block.Water)
            {
                int floor = top;
                while (floor > 0 && world.Get(x, floor, z) == Block.Water) floor--;
                shade = Math.Max(0.45, 1 - (top - floor) * 0.04);
            }
            int i = ((z - world.MinZ) * w + (x - world.MinX)) * 3;
            pixels[i] = (byte)Math.Clamp(info.R * shade, 0, 255);
            pixels[i + 1] = (byte)Math.Clamp(info.G * shade, 0, 255);
            pixels[i + 2] = (byte)Math.Clamp(info.B * shade, 0, 255);
        }
        foreach (var c in world.ChestPositions)
        {
            int i = ((c.Z - world.MinZ) * w + (c.X - world.MinX)) * 3;
            pixels[i] = 255;
            pixels[i + 1] = 0;
            pixels[i + 2] = 0;
        }
        return new RgbImage(w, h, pixels);
    }
}
