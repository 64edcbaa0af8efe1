namespace WorkspaceApp.Features.Ops;

/// <summary>Runs "ops &lt;command&gt; [--options]" against the app's own services instead of the web server.</summary>
public static class OpsRunner
{
    public static IServiceCollection AddOpsCommand<T>(this IServiceCollection services) where T : class, IOpsCommand =>
        services.AddScoped<IOpsCommand, T>();

    public static async Task<int> RunOpsAsync(this IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        await using var scope = services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetServices<IOpsCommand>().ToList();

        // The longest command name that the first words spell out wins ("keys create" over "keys").
        var command = commands
            .Where(c => c.Name.Split(' ') is var words && words.Length <= args.Length && args.AsSpan(0, words.Length).SequenceEqual(words))
            .MaxBy(c => c.Name.Length);
        if (command is null)
        {
            await error.WriteLineAsync(args.Length == 0 ? "Usage: ops <command> [options]" : $"Unknown command: ops {string.Join(' ', args)}");
            foreach (var c in commands.OrderBy(c => c.Name)) await error.WriteLineAsync($"  ops {c.Name} {c.Usage}");
            return 2;
        }

        try
        {
            var options = OpsArgs.Parse(args[command.Name.Split(' ').Length..]);
            return await command.RunAsync(options, output, CancellationToken.None);
        }
        catch (OpsException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            await error.WriteLineAsync($"usage: ops {command.Name} {command.Usage}");
            return 1;
        }
    }
}
