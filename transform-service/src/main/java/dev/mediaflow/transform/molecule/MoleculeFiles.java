package dev.mediaflow.transform.molecule;

import dev.mediaflow.transform.EncodedMedia;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks an already-written molecule file (media-semantics.md, "Molecule"), stored as is.
 *
 * <p>wandb.Molecule takes {@code os.path.splitext(path)[1][1:]} and requires it to be one of
 * {@code SUPPORTED_TYPES} = pdb, pqr, mmcif, mcif, cif, sdf, sd, gro, mol2, mmtf. wandb
 * compares case-sensitively; we accept any case and store the lower-case ending (the viewer
 * picks its parser from it). Only the ending after the last dot counts, so {@code x.pdb.gz}
 * is rejected, as in wandb. The content is not parsed (wandb does not either); an empty file
 * is rejected.
 *
 * <p>Metadata: {@code format}, {@code bytes}. Stateless and thread-safe.
 */
public final class MoleculeFiles {

  /** wandb's {@code Molecule.SUPPORTED_TYPES}. */
  public static final List<String> TYPES =
      List.of("pdb", "pqr", "mmcif", "mcif", "cif", "sdf", "sd", "gro", "mol2", "mmtf");

  private MoleculeFiles() {}

  /**
   * @param fileName the producer's file name; only its ending is used
   * @param data the file bytes; returned untouched (same array) in {@link EncodedMedia#data()}
   * @throws MoleculeRejectedException for an unsupported ending or an empty file
   */
  public static EncodedMedia inspect(String fileName, byte[] data) {
    String name = fileName == null ? "" : fileName;
    String type = extension(name);
    if (!TYPES.contains(type)) {
      throw new MoleculeRejectedException("unsupported molecule type '" + type + "' for '" + name
          + "' (supported: " + String.join(", ", TYPES) + ")");
    }
    if (data == null || data.length == 0) {
      throw new MoleculeRejectedException("molecule file '" + name + "' is empty");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("format", type);
    metadata.put("bytes", data.length);
    return new EncodedMedia(data, type, contentType(type), metadata, List.of());
  }

  /**
   * MIME type for one of {@link #TYPES}: the chemical-mime names where one exists, else
   * {@code text/plain} (pqr, gro) or {@code application/octet-stream} (mmtf, binary).
   */
  static String contentType(String type) {
    return switch (type) {
      case "pdb" -> "chemical/x-pdb";
      case "mmcif", "mcif" -> "chemical/x-mmcif";
      case "cif" -> "chemical/x-cif";
      case "sdf", "sd" -> "chemical/x-mdl-sdfile";
      case "mol2" -> "chemical/x-mol2";
      case "pqr", "gro" -> "text/plain";
      case "mmtf" -> "application/octet-stream";
      default -> throw new IllegalArgumentException("not a molecule type: " + type);
    };
  }

  static String extension(String name) {
    int dot = name.lastIndexOf('.');
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return dot > slash ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }
}
