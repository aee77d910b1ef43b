using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Expert.Host.Batching;

internal static class BatchingRegistration
{
    /// <summary>
    /// The dynamic batcher in front of the model, the limiter of the CPU work beside it, admission by
    /// estimated cost (the estimator learns from the batcher's and the renders' times) and the idle
    /// memory trim.
    /// </summary>
    public static IServiceCollection AddGenerationBatching(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CostEstimator>();
        services.AddSingleton<ICostEstimator>(sp => sp.GetRequiredService<CostEstimator>());
        services.AddSingleton<AdmissionController>();
        services.AddSingleton<GenerationBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationBatcher>());
        services.AddSingleton<CpuWorkLimiter>();
        services.AddSingleton<IdleMemoryTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrimmer>());
        return services;
    }
}
