using System.Net;
using System.Text.Json;
using RomanaAws.Core.Agents;
using RomanaAws.Core.Configuration;
using RomanaAws.Core.Net;

namespace RomanaAws.Agent.Ipam;

/// <summary>
/// The node's checkpoint on disk (thin): written to a temp file beside it, flushed to disk, renamed over the old one
/// (AWS VPC CNI's ipam.json does the same), mode 0600; read back capped in size, every entry checked.
/// </summary>
public sealed class CheckpointFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Save(NodeIpamCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var entries = checkpoint.Attachments.Select(a => new Entry(a.Key.ContainerId, a.Key.IfName, a.Address.ToString(), a.Block.ToString(), a.Owner, a.Netns, a.Network)).ToList();
        var blocks = checkpoint.Blocks.Select(b => new BlockEntry(b.Cidr.ToString(), b.Owner, b.Network)).ToList();
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new FileShape(checkpoint.Schema, entries, blocks, checkpoint.Networks), Json);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = Core.Persistence.ModeFile.CreateNew(temp, Core.Persistence.ModeFile.OwnerOnly))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The checkpoint, or an empty one when there is no file yet. A damaged file is an error naming the entry.</summary>
    public NodeIpamCheckpoint Load()
    {
        if (!File.Exists(Path))
        {
            return new NodeIpamCheckpoint { Attachments = [] };
        }

        var text = InputFile.ReadText(Path, "checkpoint", 64 * 1024 * 1024);
        FileShape? shape;
        try
        {
            shape = JsonSerializer.Deserialize<FileShape>(text, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{Path}: not a node IPAM checkpoint: {ex.Message}", ex);
        }

        if (shape is null || shape.Schema != NodeIpamCheckpoint.SchemaName || shape.Attachments is null)
        {
            throw new InvalidDataException($"{Path}: schema '{Echo.Cap(shape?.Schema)}' is not {NodeIpamCheckpoint.SchemaName}");
        }

        var attachments = new List<PodAttachment>();
        for (var i = 0; i < shape.Attachments.Count; i++)
        {
            var e = shape.Attachments[i];
            if (e is null || string.IsNullOrEmpty(e.ContainerId) || string.IsNullOrEmpty(e.IfName) || string.IsNullOrEmpty(e.Owner)
                || !IPAddress.TryParse(e.Address, out var address) || !Cidr.TryParse(e.Block, out var block) || !block.Contains(address))
            {
                throw new InvalidDataException($"{Path}: attachments[{i}] is incomplete or its address is not inside its block");
            }

            attachments.Add(new PodAttachment(new AttachmentKey(e.ContainerId, e.IfName), address, block, e.Owner, e.Netns, NullIfEmpty(e.Network)));
        }

        var blocks = new List<OwnedBlock>();
        for (var i = 0; i < (shape.Blocks?.Count ?? 0); i++)
        {
            var b = shape.Blocks![i];
            if (b is null || string.IsNullOrEmpty(b.Owner) || !Cidr.TryParse(b.Cidr, out var cidr))
            {
                throw new InvalidDataException($"{Path}: blocks[{i}] needs a CIDR and an owner");
            }

            if (blocks.Exists(known => known.Cidr == cidr))
            {
                throw new InvalidDataException($"{Path}: blocks[{i}] repeats {cidr} (each block is listed once, with one owner)");
            }

            blocks.Add(new OwnedBlock(cidr, b.Owner, NullIfEmpty(b.Network)));
        }

        var networks = shape.Networks ?? [];
        if (networks.Any(string.IsNullOrEmpty))
        {
            throw new InvalidDataException($"{Path}: networks lists an empty name");
        }

        return new NodeIpamCheckpoint { Attachments = attachments, Blocks = blocks, Networks = networks! };
    }

    private static string? NullIfEmpty(string? network) => string.IsNullOrEmpty(network) ? null : network;

    // Network: null (left out by checkpoints older than pod networks) is the default network.
    private sealed record FileShape(string? Schema, IReadOnlyList<Entry?>? Attachments, IReadOnlyList<BlockEntry?>? Blocks, IReadOnlyList<string?>? Networks);

    private sealed record BlockEntry(string? Cidr, string? Owner, string? Network);

    private sealed record Entry(string? ContainerId, string? IfName, string? Address, string? Block, string? Owner, string? Netns, string? Network);
}
