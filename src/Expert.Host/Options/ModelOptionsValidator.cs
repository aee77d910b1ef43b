using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

/// <summary>Checks <see cref="ModelOptions"/> at start; each message says what to change.</summary>
internal sealed partial class ModelOptionsValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.CheckpointPath))
        {
            errors.Add($"Model:CheckpointPath is empty. Set it (environment variable Model__CheckpointPath) to a checkpoint " +
                       $"written by `vqvae train`, or remove it to serve the shipped one ({ModelOptions.DefaultCheckpointPath}).");
        }
        else
        {
            string resolved = options.ResolveCheckpointPath();
            if (!File.Exists(resolved))
            {
                errors.Add($"Model:CheckpointPath '{options.CheckpointPath}' resolves to '{resolved}', which does not exist. " +
                           "Relative paths are resolved against the host's folder. Set Model:CheckpointPath (environment variable " +
                           "Model__CheckpointPath) to an existing checkpoint written by `vqvae train`.");
            }
        }

        if (!DevicePattern().IsMatch(options.Device ?? ""))
        {
            errors.Add($"Model:Device '{options.Device}' is not a device name. Use auto (CUDA when available, else CPU), cpu, cuda or cuda:N " +
                       "(environment variable Model__Device).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^(auto|cpu|cuda|cuda:[0-9]{1,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex DevicePattern();
}
