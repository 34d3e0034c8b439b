/**
 * The commands to use one tag of an image, each by tag and pinned by digest: pull it, switch a
 * bootc host to it, build FROM it, make a disk image of it. Text from labels goes into a command
 * only when it is a plain image reference, so a copied command never carries a label's shell text.
 */

/** One command, written twice: following the tag, and pinned to the build's digest. */
export interface TagCommand {
  /** What the command does: `Pull`, `Switch a bootc host`. */
  label: string;
  tool: 'podman' | 'bootc' | 'Containerfile' | 'bootc-image-builder';
  byTag: string;
  byDigest: string;
}

/** The label Fedora's base image names its disk-image builder in. */
export const DISK_IMAGE_BUILDER_LABEL = 'bootc.diskimage-builder';

/** An image reference without shell metacharacters: `quay.io/centos-bootc/bootc-image-builder[:tag]`. */
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9.-]*(?::\d+)?(?:\/[a-z0-9][a-z0-9._-]*)+(?::[\w][\w.-]{0,127})?$/;

/** Return the disk-image builder a label names, when it is a plain image reference; else undefined. */
export function diskImageBuilder(labels: Record<string, string>): string | undefined {
  const value = labels[DISK_IMAGE_BUILDER_LABEL]?.trim();
  return value && IMAGE_REFERENCE.test(value) ? value : undefined;
}

/** Write the bootc-image-builder command that turns an image into a qcow2 disk, as the make-disk-images guide does. */
function diskImageCommand(builder: string, image: string): string {
  const tagged = /:[^/]+$/.test(builder) ? builder : `${builder}:latest`;
  return [
    'sudo podman run --rm -it --privileged --pull=newer',
    '--security-opt label=type:unconfined_t',
    '-v ./config.toml:/config.toml:ro -v ./output:/output -v /var/lib/containers/storage:/var/lib/containers/storage',
    `${tagged} --type qcow2 --rootfs xfs ${image}`,
  ].join(' ');
}

/**
 * List the commands for one tag: podman pull, bootc switch, FROM and, when the build names its
 * disk-image builder in a label, bootc-image-builder.
 */
export function tagCommands(
  ref: string,
  tag: string,
  digest: string,
  labels: Record<string, string> = {},
): TagCommand[] {
  const byTag = `${ref}:${tag}`;
  const byDigest = `${ref}@${digest}`;
  const both = (label: string, tool: TagCommand['tool'], write: (image: string) => string) => ({
    label,
    tool,
    byTag: write(byTag),
    byDigest: write(byDigest),
  });
  const commands: TagCommand[] = [
    both('Pull', 'podman', (image) => `podman pull ${image}`),
    both('Switch a bootc host', 'bootc', (image) => `sudo bootc switch ${image}`),
    both('Build on it', 'Containerfile', (image) => `FROM ${image}`),
  ];
  const builder = diskImageBuilder(labels);
  if (builder)
    commands.push(
      both('Make a disk image', 'bootc-image-builder', (image) => diskImageCommand(builder, image)),
    );
  return commands;
}
