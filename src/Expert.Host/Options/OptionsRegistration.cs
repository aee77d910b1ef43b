using Microsoft.Extensions.Options;

namespace Expert.Host.Options;

internal static class OptionsRegistration
{
    /// <summary>
    /// Binds the host's typed options from configuration (appsettings.json, then environment
    /// variables such as <c>Batching__MaxBatch</c>, then the command line) and validates them when
    /// the host starts, so a bad value stops it with a message that says what to change.
    /// </summary>
    public static IServiceCollection AddExpertOptions(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateOnStart();
        services.AddOptions<BatchingOptions>().BindConfiguration(BatchingOptions.Section).ValidateOnStart();
        services.AddOptions<RenderingOptions>().BindConfiguration(RenderingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>();
        services.AddSingleton<IValidateOptions<BatchingOptions>, BatchingOptionsValidator>();
        services.AddSingleton<IValidateOptions<RenderingOptions>, RenderingOptionsValidator>();
        return services;
    }
}
