using Expert.DynamicMap.Benchmarks;
using Expert.DynamicMap.Geometry;
using Expert.DynamicMap.Observations;
using Expert.Host.Grpc;
using Expert.Host.Tests.Infrastructure;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Wire = Steve2.Expert.V1;

namespace Expert.Host.Tests.DynamicMap;

/// <summary>A fresh folder under the system temp directory for one test's episodes; deleted afterwards.</summary>
public sealed class MapFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "steve2-host-map-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A host still closing a file: the folder is the test's own, leaving it is harmless.
        }
    }
}

/// <summary>The real host (fake model) with its map data in a given folder, and a DynamicMapExpert client.</summary>
internal sealed class MapHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private MapHost(ExpertHostFactory factory, GrpcChannel channel)
    {
        Factory = factory;
        _channel = channel;
        Client = new Wire.DynamicMapExpert.DynamicMapExpertClient(channel);
    }

    public ExpertHostFactory Factory { get; }
    public Wire.DynamicMapExpert.DynamicMapExpertClient Client { get; }

    /// <summary>Starts a host whose Map:DataDirectory is <paramref name="dataDirectory"/>, plus any other Map settings.</summary>
    public static MapHost Start(string dataDirectory, IReadOnlyDictionary<string, string?>? settings = null, bool loopback = false)
    {
        var all = new Dictionary<string, string?> { ["Map:DataDirectory"] = dataDirectory };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var factory = new ExpertHostFactory(settings: all, loopback: loopback);
        return new MapHost(factory, factory.CreateChannel());
    }

    /// <summary>Stops the host first (so running calls see the host stop, not the client go), then the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        _channel.Dispose();
    }

    public async Task<Wire.EpisodeInfo> InfoAsync(string episodeId) =>
        (await Client.ListEpisodesAsync(new Wire.ListEpisodesRequest { IncludeClosed = true })).Episodes.Single(e => e.EpisodeId == episodeId);

    /// <summary>All layers over a region, as raw plane bytes (equal bytes: equal maps there).</summary>
    public async Task<Wire.MapLayers> MapAsync(string episodeId, Wire.MapRegion? region = null) =>
        await Client.GetMapAsync(new Wire.GetMapRequest { EpisodeId = episodeId, Region = region ?? MapWire.Around(0, 0, 40) });
}

/// <summary>Wire observations built from <see cref="SyntheticWorld"/> terrain, whose every block is known to the test.</summary>
internal static class MapWire
{
    public static SyntheticWorld World { get; } = new(seed: 3);

    public static Wire.MapRegion Around(int x, int z, int radius, int yMin = -64, int yMax = 319) =>
        new() { X0 = x - radius, Z0 = z - radius, Width = 2 * radius + 1, Depth = 2 * radius + 1, YMin = yMin, YMax = yMax };

    /// <summary>What an agent standing on column (x, z) sees within <paramref name="radius"/>, packed.</summary>
    public static Wire.Observation Packed(string agent, long tick, int x, int z, int radius = 10, float yaw = 0) =>
        MapMapping.ToWire(World.Observe(agent, tick, World.StandAt(x, z, yaw), radius));

    /// <summary>The same observation with every block named (the repeated BlockSeen form).</summary>
    public static Wire.Observation Named(string agent, long tick, int x, int z, int radius = 10, float yaw = 0)
    {
        Observation o = World.Observe(agent, tick, World.StandAt(x, z, yaw), radius);
        var wire = MapMapping.ToWire(o);
        wire.PackedBlocks = null;
        foreach (BlockSeen b in o.Blocks) wire.Blocks.Add(new Wire.BlockSeen { X = b.X, Y = b.Y, Z = b.Z, Block = "minecraft:" + o.Palette[b.Block] });
        return wire;
    }

    public static Wire.ObservationBatch Batch(string episodeId, string batchId, params Wire.Observation[] observations)
    {
        var batch = new Wire.ObservationBatch { EpisodeId = episodeId, BatchId = batchId };
        batch.Observations.AddRange(observations);
        return batch;
    }

    /// <summary>The height the world has at a column as the map reports it (water counts: it is a liquid).</summary>
    public static int SurfaceY(int x, int z) => Math.Max(World.HeightAt(x, z), SyntheticWorld.WaterLevel);

    public static Wire.EntitySeen Entity(string name, double x, double y, double z, float confidence = 0) =>
        new() { Name = name, X = x, Y = y, Z = z, Confidence = confidence };

    public static Wire.SoundHeard SoundAt(string name, double x, double y, double z) =>
        new() { Name = name, Volume = 1, Position = new Wire.MapVec3 { X = x, Y = y, Z = z } };

    public static Wire.SoundHeard SoundToward(string name, Vec3 from, Vec3 source) =>
        new() { Name = name, Volume = 0.5f, Direction = new Wire.MapVec3 { X = source.X - from.X, Y = source.Y - from.Y, Z = source.Z - from.Z } };

    public static long ValueAt(Wire.MapLayers layers, Wire.MapLayer layer, int x, int z)
    {
        var plane = layers.Planes.Single(p => p.Layer == layer);
        int index = (z - layers.Region.Z0) * layers.Region.Width + (x - layers.Region.X0);
        ReadOnlySpan<byte> data = plane.Data.Span;
        return plane.ElementType switch
        {
            Wire.LayerElementType.Uint8 => data[index],
            Wire.LayerElementType.Int16 => BitConverter.ToInt16(data.Slice(index * 2, 2)),
            Wire.LayerElementType.Uint16 => BitConverter.ToUInt16(data.Slice(index * 2, 2)),
            _ => BitConverter.ToInt32(data.Slice(index * 4, 4)),
        };
    }

    public static byte[] Bytes(Wire.MapLayers layers) => layers.Planes.SelectMany(p => p.Data.ToByteArray()).ToArray();
}

/// <summary>Reads the google.rpc details of a map error.</summary>
public static class MapErrors
{
    public static T Detail<T>(RpcException e) where T : class, IMessage<T>, new() =>
        (e.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException($"No google.rpc.Status in {e.Status}")).GetDetail<T>()
        ?? throw new Xunit.Sdk.XunitException($"No {typeof(T).Name} detail in {e.Status}");

    public static ErrorInfo Info(RpcException e, string reason)
    {
        var status = e.GetRpcStatus() ?? throw new Xunit.Sdk.XunitException($"No google.rpc.Status in {e.Status}");
        return status.Details.Where(d => d.Is(ErrorInfo.Descriptor)).Select(d => d.Unpack<ErrorInfo>()).SingleOrDefault(i => i.Reason == reason)
            ?? throw new Xunit.Sdk.XunitException($"No ErrorInfo {reason} in {e.Status}");
    }
}
