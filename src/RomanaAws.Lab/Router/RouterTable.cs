namespace RomanaAws.Lab.Router;

/// <summary>A VPC route table as a kernel table of the router: its number, the bridges whose packets it routes, its routes.</summary>
public sealed record RouterTable(string RouteTableId, int Number, IReadOnlyList<string> Bridges, IReadOnlyList<RouterRoute> Routes);
