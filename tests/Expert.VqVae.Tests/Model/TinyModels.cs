using Expert.VqVae.Model;
using Expert.VqVae.Training;
using Expert.VqVae.Voxels;

namespace Expert.VqVae.Tests.Model;

/// <summary>Small configs and shapes so model tests run in seconds.</summary>
internal static class TinyModels
{
    public static VqVaeConfig VqVae => new() { GridSize = 16, Downsamplings = 2, Channels = 16, CodebookSize = 32, CodeDim = 8 };

    public static PriorConfig Prior(int vocabulary) => new()
    {
        CodeGridSize = 4, GroupEdge = 2, CodebookSize = 32, VocabularySize = vocabulary,
        MaxTextTokens = 16, ModelDim = 32, Layers = 1, Heads = 2, CodeEmbedDim = 8, Dropout = 0f, DecodeSteps = 4,
    };

    /// <summary>A solid box of the given size standing on the ground, centred.</summary>
    public static OccupancyGrid Box(int size, int width, int height)
    {
        var g = new OccupancyGrid(size);
        int x0 = (size - width) / 2;
        g.FillBox(x0, 0, x0, x0 + width - 1, height - 1, x0 + width - 1);
        return g;
    }

    /// <summary>A hollow tower: a ring of walls.</summary>
    public static OccupancyGrid Ring(int size, int width, int height)
    {
        var g = Box(size, width, height);
        int x0 = (size - width) / 2;
        g.FillBox(x0 + 1, 0, x0 + 1, x0 + width - 2, height - 1, x0 + width - 2, false);
        return g;
    }

    /// <summary>Solid boxes and hollow rings of every width and height given, each with a description that names it.</summary>
    public static List<TrainingExample> BoxesAndRings(int[] widths, int[] heights)
    {
        var list = new List<TrainingExample>();
        foreach (int w in widths)
            foreach (int h in heights)
            {
                list.Add(new TrainingExample($"box-{w}-{h}", $"a solid box {w} wide and {h} tall", Box(16, w, h)));
                list.Add(new TrainingExample($"ring-{w}-{h}", $"a hollow ring {w} wide and {h} tall", Ring(16, w, h)));
            }
        return list;
    }
}
