namespace Expert.Host.Batching;

internal static class BatchingRegistration
{
    /// <summary>The dynamic batcher in front of the model and the limiter of the CPU work beside it.</summary>
    public static IServiceCollection AddGenerationBatching(this IServiceCollection services)
    {
        services.AddSingleton<GenerationBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<GenerationBatcher>());
        services.AddSingleton<CpuWorkLimiter>();
        return services;
    }
}
