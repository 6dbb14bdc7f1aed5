//! The wasm32 global allocator: power-of-two size classes (8 bytes and up),
//! each with a free list of the blocks freed in it; new blocks are cut from a
//! bump region that grows the wasm memory 1 MiB at a time. Allocation and free
//! are O(1), the code is a few hundred bytes (std's dlmalloc: about 8 KB).
//! Memory freed in a class is reused by that class only, as dlmalloc never
//! gives memory back to the host either.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65536;
/// Pages the memory grows by when the bump region runs out (1 MiB).
const GROW_PAGES: usize = 16;
/// Classes 0..=28: blocks of 8 << class bytes (8 B .. 2 GiB).
const CLASSES: usize = 29;

struct State {
    free: [*mut u8; CLASSES],
    next: usize,
    end: usize,
}

pub struct SizeClassAlloc(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
// (Natively the allocator is not Sync: tests use an instance from one thread.)
#[cfg(target_arch = "wasm32")]
unsafe impl Sync for SizeClassAlloc {}

impl SizeClassAlloc {
    pub const fn new() -> Self {
        SizeClassAlloc(UnsafeCell::new(State { free: [ptr::null_mut(); CLASSES], next: 0, end: 0 }))
    }
}

/// Grows the memory by `pages` pages: the old size in pages, at whose
/// address the new pages start, or `usize::MAX` if it cannot grow.
#[cfg(target_arch = "wasm32")]
#[inline]
fn grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

/// The native stand-in used by tests: pages from a fixed, 64 KiB-aligned static arena.
#[cfg(not(target_arch = "wasm32"))]
fn grow(pages: usize) -> usize {
    use core::sync::atomic::{AtomicUsize, Ordering};

    const ARENA_PAGES: usize = 512; // 32 MiB
    #[repr(C, align(65536))]
    struct Arena(UnsafeCell<[u8; ARENA_PAGES * PAGE]>);
    // SAFETY: the arena is only reached through the pages handed out, each once.
    unsafe impl Sync for Arena {}
    static ARENA: Arena = Arena(UnsafeCell::new([0; ARENA_PAGES * PAGE]));
    static USED: AtomicUsize = AtomicUsize::new(0);

    let taken = USED.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
        used.checked_add(pages).filter(|&total| total <= ARENA_PAGES)
    });
    match taken {
        // Page numbers count from address 0, as wasm's do.
        Ok(used) => ARENA.0.get() as usize / PAGE + used,
        Err(_) => usize::MAX,
    }
}

#[inline]
fn class(layout: &Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    (usize::BITS - (size - 1).leading_zeros()) as usize - 3
}

unsafe impl GlobalAlloc for SizeClassAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let state = &mut *self.0.get();
        let c = class(&layout);
        let align = layout.align();
        let head = state.free[c];
        // Blocks are 8-aligned; a rarer, larger alignment takes a block only if it fits.
        if !head.is_null() && head as usize & (align - 1) == 0 {
            state.free[c] = *(head as *mut *mut u8);
            return head;
        }
        let size = 8usize << c;
        let mut start = (state.next + align - 1) & !(align - 1);
        if start.checked_add(size).map_or(true, |e| e > state.end) {
            // 1 MiB at least: each grow costs the engine a remap and detaches
            // JavaScript's views of the memory (page by page took 20% of a
            // workload that allocates steadily).
            let pages = (size + align).div_ceil(PAGE).max(GROW_PAGES);
            let base = grow(pages);
            if base == usize::MAX {
                return ptr::null_mut();
            }
            let base = base * PAGE;
            // Someone else grew the memory since: start over at the new pages.
            if base != state.end {
                state.next = base;
            }
            state.end = base + pages * PAGE;
            start = (state.next + align - 1) & !(align - 1);
        }
        state.next = start + size;
        start as *mut u8
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let state = &mut *self.0.get();
        let c = class(&layout);
        *(block as *mut *mut u8) = state.free[c];
        state.free[c] = block;
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(&new_layout) == class(&layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}
