namespace Steve2.Pipeline.Agents;

/// <summary>A named PNG ("front", "map").</summary>
public sealed record NamedImage(string Name, byte[] Png);
