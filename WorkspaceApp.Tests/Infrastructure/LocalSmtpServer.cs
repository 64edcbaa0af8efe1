using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 (just enough of RFC 5321 for MailKit: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT),
/// so the app's SMTP delivery runs the real MailKit client over a real socket. It can refuse the first transactions
/// with a temporary error to show retries.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<MimeMessage> received = [];
    private readonly Task accepting;
    private int refusalsLeft;

    public LocalSmtpServer(int refuseFirst = 0)
    {
        refusalsLeft = refuseFirst;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public int Refused { get; private set; }
    public string? AuthenticatedAs { get; private set; }

    public IReadOnlyList<MimeMessage> Received { get { lock (received) return received.ToList(); } }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost ESMTP test");
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-localhost\r\n250 AUTH PLAIN");
                    break;
                case "AUTH":
                    var plain = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[2])).Split('\0');
                    AuthenticatedAs = plain[1];
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "MAIL":
                    if (Interlocked.Decrement(ref refusalsLeft) >= 0)
                    {
                        Refused++;
                        await writer.WriteLineAsync("451 4.3.0 Try again later");
                    }
                    else await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(stop.Token) is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    lock (received) received.Add(MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(data.ToString()))));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try { await accepting; } catch (OperationCanceledException) { }
        stop.Dispose();
    }
}
