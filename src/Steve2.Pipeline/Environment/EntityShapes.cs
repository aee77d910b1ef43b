namespace Steve2.Pipeline.Environment;

/// <summary>The box and colour each entity kind is drawn with (OBSERVATIONS.md).</summary>
public static class EntityShapes
{
    /// <summary>Half width (x and z) and height in blocks, and the RGB colour, of an entity kind.</summary>
    public static (double HalfWidth, double Height, byte R, byte G, byte B) Of(string kind) => kind switch
    {
        "pig" => (0.45, 0.9, 240, 160, 170),
        "cow" => (0.45, 1.4, 90, 60, 40),
        "sheep" => (0.45, 1.3, 235, 235, 235),
        "chicken" => (0.2, 0.7, 250, 250, 120),
        "agent" => (0.3, 1.8, 40, 70, 200),
        _ => (0.4, 1.0, 255, 0, 255),
    };
}
