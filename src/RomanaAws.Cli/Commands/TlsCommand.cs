using System.CommandLine;
using System.Net;
using RomanaAws.Core.Security;
using RomanaAws.Core.Persistence;

namespace RomanaAws.Cli.Commands;

/// <summary><c>romana-aws tls create</c>: the controller API's CA and serving certificate, for the romana-aws-tls Secret.</summary>
internal static class TlsCommand
{
    public const string ServiceName = "romana-aws-controller.romana-aws.svc";

    public static Command Build(CliContext context)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Write ca.crt, ca.key, tls.crt and tls.key here (keys mode 0600).", HelpName = "DIR", Required = true };
        var names = new Option<string[]>("--name") { Description = $"A DNS name the serving certificate carries (repeatable; default {ServiceName}, what agents and standbys check).", HelpName = "NAME", AllowMultipleArgumentsPerToken = false };
        var addresses = new Option<string[]>("--ip") { Description = "An IP address the serving certificate carries (repeatable; for clients that call an address and check it).", HelpName = "ADDRESS" };
        var days = new Option<int>("--days") { Description = "How long the serving certificate is valid (the CA: ten times as long).", HelpName = "DAYS", DefaultValueFactory = _ => 365 };
        var ca = new Option<DirectoryInfo?>("--ca") { Description = "Sign with the CA already in this directory (its ca.crt and ca.key) instead of making a new one: renews the serving certificate, agents keep trusting it.", HelpName = "DIR" };
        var create = new Command("create", "Make the controller API's certificates: a dedicated CA (ECDSA P-256) and a serving certificate it signs. Then: kubectl -n romana-aws create secret generic romana-aws-tls --from-file=DIR/ca.crt --from-file=DIR/tls.crt --from-file=DIR/tls.key (docs/security.md: rotation).")
        {
            output, names, addresses, days, ca,
        };
        create.SetAction((p, ct) => CommandGuard.RunAsync(context, () => CreateAsync(context, p.GetValue(output)!, p.GetValue(names) ?? [], p.GetValue(addresses) ?? [], p.GetValue(days), p.GetValue(ca), ct)));

        var ns = new Option<string>("--namespace") { Description = "The Secrets' namespace.", HelpName = "NAMESPACE", DefaultValueFactory = _ => "romana-aws" };
        var secret = new Option<string>("--secret") { Description = "The Secret the controller mounts (ca.crt, tls.crt, tls.key); the CA's key goes into NAME-ca, which only this Job reads.", HelpName = "NAME", DefaultValueFactory = _ => "romana-aws-tls" };
        var ensureNames = new Option<string[]>("--name") { Description = $"A DNS name of the serving certificate (repeatable; default {ServiceName}).", HelpName = "NAME" };
        var ensureDays = new Option<int>("--days") { Description = "Validity of a new serving certificate (a new CA: ten times as long).", HelpName = "DAYS", DefaultValueFactory = _ => 365 };
        var renewDays = new Option<int>("--renew-days") { Description = "Renew the serving certificate when it ends within this many days.", HelpName = "DAYS", DefaultValueFactory = _ => 30 };
        var kubeconfig = new Option<FileInfo?>("--kubeconfig") { Description = "Reach the Kubernetes API with this kubeconfig (default: the in-cluster service account).", HelpName = "FILE" };
        var ensure = new Command("ensure-secret", "Make the API's certificates in the cluster if there are none, and renew the serving certificate from the same CA when it is near its end (the kops addon runs this at install and daily). Certificates the operator supplied (no NAME-ca Secret) are left alone.")
        {
            ns, secret, ensureNames, ensureDays, renewDays, kubeconfig,
        };
        ensure.SetAction((p, ct) => CommandGuard.RunAsync(context, () => EnsureAsync(context, p.GetValue(ns)!, p.GetValue(secret)!, p.GetValue(ensureNames) ?? [], p.GetValue(ensureDays), p.GetValue(renewDays), p.GetValue(kubeconfig), ct)));
        return new Command("tls", "Certificates of the controller's API.") { create, ensure };
    }

    private static async Task<int> EnsureAsync(CliContext context, string ns, string secret, string[] names, int days, int renewDays, FileInfo? kubeconfig, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 3650 || renewDays < 0 || renewDays >= days)
        {
            throw new InputFileException($"--days {days} and --renew-days {renewDays}: --days must be from 1 to 3650 and --renew-days from 0 to less than --days");
        }

        if (kubeconfig is { Exists: false })
        {
            throw new InputFileException($"--kubeconfig {kubeconfig.FullName}: file not found");
        }

        using var kubernetes = Agent.Kubernetes.KubernetesAccess.Client(kubeconfig?.FullName) ?? throw new InputFileException("no Kubernetes API: give --kubeconfig FILE, or run in a pod");
        return await TlsSecrets.EnsureAsync(context, kubernetes, ns, secret, names.Length > 0 ? names : [ServiceName], days, renewDays, cancellationToken);
    }

    internal static async Task<int> CreateAsync(CliContext context, DirectoryInfo output, string[] names, string[] addresses, int days, DirectoryInfo? caDirectory, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 3650)
        {
            throw new InputFileException($"--days {days}: must be from 1 to 3650");
        }

        var ips = new List<IPAddress>();
        foreach (var text in addresses)
        {
            ips.Add(IPAddress.TryParse(text, out var ip) ? ip : throw new InputFileException($"--ip '{Core.Configuration.Echo.Cap(text)}': not an IP address such as 10.0.0.5"));
        }

        foreach (var name in names.Where(n => Uri.CheckHostName(n) != UriHostNameType.Dns))
        {
            throw new InputFileException($"--name '{Core.Configuration.Echo.Cap(name)}': not a DNS name such as {ServiceName}");
        }

        var now = TimeProvider.System.GetUtcNow().AddMinutes(-5); // a little back, for clocks a little behind
        PemPair authority;
        if (caDirectory is null)
        {
            authority = CertificateMaker.Authority("romana-aws controller API CA", now, TimeSpan.FromDays(days * 10));
        }
        else
        {
            var (crt, key) = (Path.Combine(caDirectory.FullName, "ca.crt"), Path.Combine(caDirectory.FullName, "ca.key"));
            if (!File.Exists(crt) || !File.Exists(key))
            {
                throw new InputFileException($"--ca {caDirectory.FullName}: needs ca.crt and ca.key (what an earlier tls create wrote)");
            }

            authority = new PemPair(await File.ReadAllTextAsync(crt, cancellationToken), await File.ReadAllTextAsync(key, cancellationToken));
        }

        PemPair serving;
        try
        {
            serving = CertificateMaker.Serving(authority, names.Length > 0 ? names : [ServiceName], ips, now, TimeSpan.FromDays(days));
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InputFileException($"--ca {caDirectory?.FullName}: the CA cannot sign: {ex.Message}");
        }

        Directory.CreateDirectory(output.FullName);
        await WriteAsync(Path.Combine(output.FullName, "ca.crt"), authority.Certificate, secret: false, cancellationToken);
        await WriteAsync(Path.Combine(output.FullName, "ca.key"), authority.Key, secret: true, cancellationToken);
        await WriteAsync(Path.Combine(output.FullName, "tls.crt"), serving.Certificate, secret: false, cancellationToken);
        await WriteAsync(Path.Combine(output.FullName, "tls.key"), serving.Key, secret: true, cancellationToken);
        await context.Output.WriteLineAsync($"wrote {output.FullName}/ca.crt, ca.key, tls.crt, tls.key ({(caDirectory is null ? "new CA" : $"CA of {caDirectory.FullName}")}; serving certificate for {string.Join(", ", (names.Length > 0 ? names : [ServiceName]).Concat(addresses))}, {days} days)");
        await context.Output.WriteLineAsync($"next: kubectl -n romana-aws create secret generic romana-aws-tls --from-file={output.FullName}/ca.crt --from-file={output.FullName}/tls.crt --from-file={output.FullName}/tls.key (keep ca.key out of the cluster)");
        return ExitCodes.Ok;
    }

    private static async Task WriteAsync(string path, string text, bool secret, CancellationToken cancellationToken)
    {
        // A key is 0600 from its first byte (created so), and each file appears whole (written aside, then renamed).
        var temp = path + ".tmp";
        File.Delete(temp);
        var mode = secret ? ModeFile.OwnerOnly : ModeFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        await using (var stream = ModeFile.CreateNew(temp, mode))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }
}
