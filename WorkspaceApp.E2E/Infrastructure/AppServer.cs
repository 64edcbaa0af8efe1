using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>
/// The real app, run as its own process (the same executable as `dotnet run`) on a free loopback port
/// with a fresh SQLite file (or the database its settings name). Also runs its `ops` command line against the same
/// database, and can be killed and restarted on it (the crash tests).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly StringBuilder log = new();
    private readonly string dataDir;
    private readonly Dictionary<string, string> settings;
    private Process process = null!;

    public string BaseUrl { get; }
    public string ConnectionString => settings["ConnectionStrings:Default"];

    /// <summary>The app's email pickup folder: every message it sends lands here as an .eml file.</summary>
    public MailPickup Mail => new(settings["Email:PickupDirectory"]);

    private AppServer(string baseUrl, string dataDir, Dictionary<string, string> settings)
    {
        BaseUrl = baseUrl;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    public string Log { get { lock (log) return log.ToString(); } }

    public static async Task<AppServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var dataDir = Directory.CreateTempSubdirectory("workspaceapp-e2e-").FullName;
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        all.TryAdd("ConnectionStrings:Default", $"Data Source={Path.Combine(dataDir, "workspace.db")}");
        all.TryAdd("Email:PickupDirectory", Path.Combine(dataDir, "mail"));
        var server = new AppServer(baseUrl, dataDir, all);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Kills the process at once (no graceful shutdown: what a crash or kill -9 leaves behind).</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>Starts the app again on the same port and database.</summary>
    public async Task RestartAsync()
    {
        await KillAsync();
        process.Dispose();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var start = AppProcess(settings);
        start.Environment["Urls"] = BaseUrl; // overrides appsettings.json (ASPNETCORE_URLS would not)
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync();
    }

    /// <summary>Runs `WorkspaceApp ops ...` on this server's database; returns the exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Error)> OpsAsync(params string[] args)
    {
        var start = AppProcess(settings);
        start.ArgumentList.Add("ops");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return await RunToExitAsync(start);
    }

    /// <summary>Starts the web app with these settings (an empty value unsets one) and waits for it to exit by itself.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunUntilExitAsync(IDictionary<string, string> settings)
    {
        var start = AppProcess(settings);
        start.Environment["Urls"] = $"http://127.0.0.1:{FreePort()}";
        return await RunToExitAsync(start);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunToExitAsync(ProcessStartInfo start)
    {
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (child.ExitCode, await output, await error);
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
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value.Length == 0) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
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
        await KillAsync();
        process.Dispose();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
    }
}
