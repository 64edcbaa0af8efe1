using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>
/// The real app, run as its own process (the same executable as `dotnet run`) on a free loopback port
/// with a fresh SQLite file. Also runs its `ops` command line against the same database.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly string dataDir;

    public string BaseUrl { get; }
    public string ConnectionString { get; }

    private AppServer(Process process, string baseUrl, string dataDir, string connectionString)
    {
        this.process = process;
        BaseUrl = baseUrl;
        this.dataDir = dataDir;
        ConnectionString = connectionString;
    }

    public string Log { get { lock (log) return log.ToString(); } }

    public static async Task<AppServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var dataDir = Directory.CreateTempSubdirectory("workspaceapp-e2e-").FullName;
        var connectionString = $"Data Source={Path.Combine(dataDir, "workspace.db")}";

        var start = AppProcess(settings);
        start.Environment["Urls"] = baseUrl; // overrides appsettings.json (ASPNETCORE_URLS would not)
        start.Environment["ConnectionStrings__Default"] = connectionString;
        var server = new AppServer(new Process { StartInfo = start }, baseUrl, dataDir, connectionString);
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.Start();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>Runs `WorkspaceApp ops ...` on this server's database; returns the exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> OpsAsync(params string[] args)
    {
        var start = AppProcess(null);
        start.ArgumentList.Add("ops");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ConnectionStrings__Default"] = ConnectionString;
        using var ops = Process.Start(start)!;
        var output = ops.StandardOutput.ReadToEndAsync();
        var error = ops.StandardError.ReadToEndAsync();
        await ops.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (ops.ExitCode, await output, await error);
    }

    private static ProcessStartInfo AppProcess(IDictionary<string, string>? settings)
    {
        var appDir = Path.Combine(RepoRoot, "WorkspaceApp");
        var dll = Path.Combine(appDir, "bin", BuildConfiguration, "net10.0", "WorkspaceApp.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the app first: {dll} is missing.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Billing__Provider"] = "Test"; // Production requires a choice; settings may override it
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The app did not become healthy within 60 s:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WorkspaceApp.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("WorkspaceApp.sln not found above the test folder.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }
}
