using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

/// <summary>Checks <see cref="MapHostOptions"/> at start; each message names the key and what to change.</summary>
internal sealed class MapHostOptionsValidator(IHostEnvironment environment) : IValidateOptions<MapHostOptions>
{
    private const int PackedBlockBytes = 16;
    private const int MessageOverheadBytes = 64 * 1024;

    public ValidateOptionsResult Validate(string? name, MapHostOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok) errors.Add(message);
        }

        if (string.IsNullOrWhiteSpace(o.DataDirectory))
        {
            errors.Add($"Map:DataDirectory is empty: set it (Map__DataDirectory) to a writable folder, or remove it for " +
                       $"'{MapHostOptions.DefaultDataDirectory}' under the content root.");
        }
        else
        {
            string? resolved = null;
            try
            {
                resolved = o.ResolveDataDirectory(environment.ContentRootPath);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                errors.Add($"Map:DataDirectory '{o.DataDirectory}' is not a valid path ({e.Message}): set Map__DataDirectory to a folder.");
            }
            if (resolved is not null && File.Exists(resolved))
                errors.Add($"Map:DataDirectory '{o.DataDirectory}' resolves to '{resolved}', which is a file: set Map__DataDirectory to a folder.");
        }

        Require(o.MaxBlocksPerBatch <= 0 || (long)o.MaxBlocksPerBatch * PackedBlockBytes + MessageOverheadBytes <= o.MaxReceiveMessageBytes,
            $"Map:MaxReceiveMessageBytes ({o.MaxReceiveMessageBytes}) cannot hold a packed batch of Map:MaxBlocksPerBatch " +
            $"({o.MaxBlocksPerBatch}) blocks at {PackedBlockBytes} bytes each: raise Map__MaxReceiveMessageBytes to at least " +
            $"{(long)o.MaxBlocksPerBatch * PackedBlockBytes + MessageOverheadBytes} or lower Map__MaxBlocksPerBatch.");
        Require(o.MaxReceiveMessageBytes is >= 64 * 1024 and <= 256 * 1024 * 1024,
            $"Map:MaxReceiveMessageBytes is {o.MaxReceiveMessageBytes}: set it to 65536..268435456 bytes (Map__MaxReceiveMessageBytes).");
        Require(o.MaxGetMapBytes is >= 1024 and <= 256 * 1024 * 1024,
            $"Map:MaxGetMapBytes is {o.MaxGetMapBytes}: set it to 1024..268435456 bytes (Map__MaxGetMapBytes).");
        Require(o.MaxRenderPixels is >= 16 and <= 4096,
            $"Map:MaxRenderPixels is {o.MaxRenderPixels}: set it to 16..4096 (Map__MaxRenderPixels).");
        Require(o.MaintenanceInterval >= TimeSpan.FromMilliseconds(10) && o.MaintenanceInterval <= TimeSpan.FromHours(1),
            $"Map:MaintenanceInterval is {o.MaintenanceInterval}: set it between 00:00:00.010 and 01:00:00 (Map__MaintenanceInterval).");
        Require(o.WatchBuffer is >= 1 and <= 100_000,
            $"Map:WatchBuffer is {o.WatchBuffer}: set it to 1..100000 changes (Map__WatchBuffer).");

        // Everything the library checks (limits, bounds, eviction time), with its own message.
        try
        {
            o.ToMapOptions(contentRoot: null).Validate();
        }
        catch (ArgumentException e)
        {
            errors.Add($"Map: {e.Message} (section Map, e.g. Map__MaxChunksPerEpisode; bounds under Map:Bounds).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
